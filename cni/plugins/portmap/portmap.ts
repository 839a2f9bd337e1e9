import { isIPv6 } from "node:net";
import { iptablesSave } from "../common/iptables.js";
import type { Plugin, PluginCall } from "../skel.js";
import { CniError, cniCode } from "../../spec/errors.js";
import { supportedVersions, type CniResult } from "../../spec/types.js";
import { applyNat } from "./apply.js";
import { containerChain, containerRules } from "./chains.js";
import { parseConfig } from "./config.js";
import { podAddress, type PodAddress } from "./pod-address.js";
import { addScript, missingRules, removeScript, staleChains } from "./plan.js";
import { enableRouteLocalnet } from "./route-localnet.js";

/** CHECK found rules missing (plugin-specific code range). */
export const rulesMissingCode = 101;

/** berth-portmap: host ports DNATed to the pod's IPv4 address, chained after an interface plugin. */
export const portmapPlugin: Plugin = {
  supportedVersions: [...supportedVersions],

  async add(call) {
    const conf = parseConfig(call.input);
    const prev = previous(call);
    if (conf.mappings.length === 0) return prev;
    const pod = podFor(prev, call.ifname);
    if (!pod) return prev;
    const own = containerRules(conf, call.containerId, pod);
    if (conf.snat) await enableRouteLocalnet(prev, pod.ip);
    await applyNat("cannot install the port mappings", (t) => addScript(t, conf, own));
    return prev;
  },

  async del(call) {
    // Best effort and without prevResult: the chain name follows from network and container.
    const network = networkName(call);
    const chain = containerChain(network, call.containerId);
    await applyNat("cannot remove the port mappings", (t) => removeScript(t, new Set([chain])));
  },

  async check(call) {
    const conf = parseConfig(call.input);
    const prev = previous(call);
    if (conf.mappings.length === 0) return;
    const pod = podFor(prev, call.ifname);
    if (!pod) return;
    const missing = missingRules(
      await iptablesSave("nat"),
      conf,
      containerRules(conf, call.containerId, pod),
    );
    if (missing.length > 0) {
      throw new CniError(rulesMissingCode, "port mapping rules missing", missing.join("; "));
    }
  },

  async status() {
    try {
      await iptablesSave("nat");
    } catch (err) {
      throw new CniError(
        cniCode.unavailable,
        "iptables is not usable",
        err instanceof CniError ? err.details : String(err),
      );
    }
  },

  async gc(call, valid) {
    const network = networkName(call);
    const ids = new Set(valid.map((a) => a.containerID));
    await applyNat("cannot remove stale port mappings", (t) =>
      removeScript(t, staleChains(t, network, ids)),
    );
  },
};

function previous(call: PluginCall): CniResult {
  const prev = call.input.prevResult;
  if (typeof prev !== "object" || prev === null) {
    throw new CniError(
      cniCode.invalidConfig,
      "berth-portmap must be chained after an interface plugin",
      "prevResult is missing",
    );
  }
  return prev;
}

function networkName(call: PluginCall): string {
  if (typeof call.input.name !== "string" || call.input.name === "") {
    throw new CniError(cniCode.invalidConfig, "invalid name", "name must be a non-empty string");
  }
  return call.input.name;
}

/** The pod's IPv4 address; an IPv6-only attachment is passed through (IPv6 is not mapped). */
function podFor(prev: CniResult, ifname: string): PodAddress | undefined {
  const pod = podAddress(prev, ifname);
  if (pod) return pod;
  if ((prev.ips ?? []).some((ip) => isIPv6(ip.address.split("/")[0]))) {
    process.stderr.write("berth-portmap: IPv6 port mappings are not supported; skipped\n");
    return undefined;
  }
  throw new CniError(
    cniCode.invalidConfig,
    "no IPv4 address for the container interface in prevResult",
    `interface ${ifname}`,
  );
}
