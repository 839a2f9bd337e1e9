import type { PluginCall } from "../skel.js";
import type { Attachment } from "../../spec/types.js";
import {
  chainName,
  iptablesRestore,
  iptablesSave,
  parseChainComment,
  ruleArg,
} from "../common/iptables.js";
import { parseBridgeConfig } from "./config.js";
import { execIpam } from "./ipam.js";
import { masqRemovalLines } from "./masq.js";

/**
 * GC: IPAM GC, then the masquerade chains of this network whose container is not among the
 * valid attachments. A chain counts as ours only when its name is the hash of this network and
 * the container ID in its comment, so other networks' and portmap's chains are never touched.
 * Both steps run; the first error is reported after both.
 */
export async function bridgeGc(call: PluginCall, valid: Attachment[]): Promise<void> {
  const conf = parseBridgeConfig(call.input);
  const results = await Promise.allSettled([
    execIpam(call, conf.ipamType, "GC"),
    collectMasq(conf.network, new Set(valid.map((a) => a.containerID))),
  ]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

async function collectMasq(network: string, validIds: Set<string>): Promise<void> {
  const saved = await iptablesSave("nat");
  const stale = new Set<string>();
  for (const rule of saved.rules) {
    const owner = parseChainComment(ruleArg(rule, "--comment") ?? "");
    if (!owner || owner.network !== network || validIds.has(owner.containerId)) continue;
    const chain = chainName(network, owner.containerId);
    if (rule.chain === chain || ruleArg(rule, "-j") === chain) stale.add(chain);
  }
  await iptablesRestore(
    "cannot remove stale masquerade rules",
    "nat",
    masqRemovalLines(saved, stale),
  );
}
