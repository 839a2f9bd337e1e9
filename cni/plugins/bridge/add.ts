import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { PluginCall } from "../skel.js";
import type { CniResult } from "../../spec/types.js";
import { CniError, cniCode } from "../../spec/errors.js";
import { ipBatch } from "../common/ip-batch.js";
import { iptablesRestore, iptablesSave } from "../common/iptables.js";
import { netnsExists } from "../common/netns.js";
import { runTool, toolFailureCode } from "../common/tool.js";
import { bridgeAddressCommands, bridgeMac, createBridge, readBridge } from "./bridge-link.js";
import { parseBridgeConfig, type BridgeConfig } from "./config.js";
import { layer3 } from "./gateways.js";
import { execIpam, ipamResult } from "./ipam.js";
import { masqAddLines, removeMasq } from "./masq.js";
import { hostVethName, randomMac } from "./names.js";
import { containerCommands, hostVethCommands, type VethPlan } from "./veth.js";

/**
 * ADD: IPAM first (concurrently with reading the bridge and the nat table), then one `ip` batch
 * on the host, then one in the netns alongside one iptables-restore. Anything failing after
 * IPAM succeeded undoes the veth and masquerade rules and runs IPAM DEL before the error goes out.
 */
export async function bridgeAdd(call: PluginCall): Promise<CniResult> {
  const conf = parseBridgeConfig(call.input);
  if (!netnsExists(call.netns)) {
    throw new CniError(cniCode.invalidEnv, `CNI_NETNS ${call.netns} does not exist`);
  }
  const plan: VethPlan = {
    hostName: hostVethName(call.containerId, call.ifname),
    hostMac: randomMac(),
    ifname: call.ifname,
    containerMac: randomMac(),
    netns: call.netns,
  };
  if (existsSync(`/sys/class/net/${plan.hostName}`)) {
    throw new CniError(
      toolFailureCode,
      `host veth ${plan.hostName} of ${call.containerId}/${call.ifname} already exists (ADD twice without DEL?)`,
    );
  }
  const bridgeP = readBridge(conf.bridge);
  const natP = conf.ipMasq ? iptablesSave("nat") : undefined;
  // Keep the other reads from surfacing as unhandled rejections while IPAM runs.
  bridgeP.catch(() => undefined);
  natP?.catch(() => undefined);
  const ipam = ipamResult(await execIpam(call, conf.ipamType, "ADD"), conf.ipamType);
  try {
    return await attach(call, conf, plan, ipam, await bridgeP, natP && (await natP));
  } catch (err) {
    await rollBack(call, conf, plan);
    throw err;
  }
}

async function attach(
  call: PluginCall,
  conf: BridgeConfig,
  plan: VethPlan,
  ipam: CniResult,
  bridge: Awaited<ReturnType<typeof readBridge>>,
  nat: Awaited<ReturnType<typeof iptablesSave>> | undefined,
): Promise<CniResult> {
  const l3 = layer3(ipam, conf);
  if (!bridge.exists) await createBridge(conf);
  const hostLines = [
    `link set dev ${conf.bridge} up${conf.promiscMode ? " promisc on" : ""}`,
    ...(conf.isGateway ? bridgeAddressCommands(conf, bridge, l3.bridgeAddresses) : []),
    ...hostVethCommands(conf, plan),
  ];
  await ipBatch(`cannot set up ${conf.bridge} and veth ${plan.hostName}`, hostLines);
  if (conf.isGateway) enableForwarding(l3.bridgeAddresses.map((a) => a.ip.family));
  const ips = l3.result.ips ?? [];
  await Promise.all([
    ipBatch(
      `cannot configure ${call.ifname} in ${call.netns}`,
      containerCommands(call.ifname, ips, l3.result.routes ?? []),
      { netns: call.netns },
    ),
    conf.ipMasq && nat
      ? iptablesRestore(
          "cannot add the masquerade rules",
          "nat",
          masqAddLines(
            conf.network,
            call.containerId,
            ips.map((ip) => ip.address),
            nat,
          ),
        )
      : undefined,
  ]);
  await waitOperUp(plan.hostName);
  return {
    cniVersion: call.input.cniVersion,
    interfaces: [
      { name: conf.bridge, mac: bridgeMac(conf.bridge) },
      { name: plan.hostName, mac: plan.hostMac },
      { name: call.ifname, mac: plan.containerMac, sandbox: call.netns },
    ],
    ips,
    routes: l3.result.routes,
    dns: conf.dns,
  };
}

function enableForwarding(families: (4 | 6)[]): void {
  for (const family of new Set(families)) {
    const file =
      family === 4 ? "/proc/sys/net/ipv4/ip_forward" : "/proc/sys/net/ipv6/conf/all/forwarding";
    if (readFileSync(file, "utf8").trim() !== "1") writeFileSync(file, "1");
  }
}

/** Like the reference plugin, give the host end up to 2.5 s to report carrier (sysfs polls). */
async function waitOperUp(name: string): Promise<void> {
  const deadline = Date.now() + 2500;
  for (;;) {
    let state = "";
    try {
      state = readFileSync(`/sys/class/net/${name}/operstate`, "utf8").trim();
    } catch {
      // vanished: report below
    }
    if (state === "up") return;
    if (Date.now() > deadline) {
      throw new CniError(
        toolFailureCode,
        `host veth ${name} did not come up (operstate ${state || "missing"})`,
      );
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function rollBack(call: PluginCall, conf: BridgeConfig, plan: VethPlan): Promise<void> {
  // Deleting the host end removes its peer too; each undo step is best effort.
  if (existsSync(`/sys/class/net/${plan.hostName}`)) {
    await runTool("rollback", "ip", ["link", "del", plan.hostName]).catch(() => undefined);
  }
  if (conf.ipMasq) await removeMasq(conf.network, call.containerId).catch(() => undefined);
  await execIpam(call, conf.ipamType, "DEL").catch(() => undefined);
}
