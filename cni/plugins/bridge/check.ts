import type { PluginCall } from "../skel.js";
import type { CniResult, ResultInterface } from "../../spec/types.js";
import { CniError, cniCode } from "../../spec/errors.js";
import { ipBatch } from "../common/ip-batch.js";
import { chainName, iptablesSave, ruleArg } from "../common/iptables.js";
import { formatIp, parseCidr, parseIp } from "../common/ip-math.js";
import { netnsExists } from "../common/netns.js";
import { toolFailureCode } from "../common/tool.js";
import { parseBridgeConfig } from "./config.js";
import { execIpam } from "./ipam.js";

interface LinkJson {
  ifindex: number;
  ifname: string;
  address?: string;
  master?: string;
  link_index?: number;
  operstate?: string;
  linkinfo?: { info_kind?: string };
  addr_info?: { local: string; prefixlen: number }[];
}

interface RouteJson {
  dst: string;
  gateway?: string;
  dev?: string;
}

function broken(problem: string): CniError {
  return new CniError(toolFailureCode, problem);
}

/**
 * CHECK: the IPAM reservation, the host veth on the bridge, the container interface (its veth
 * peer, MAC, addresses, routes) and the masquerade jump still match prevResult. Extra addresses
 * or routes added by later plugins are tolerated.
 */
export async function bridgeCheck(call: PluginCall): Promise<void> {
  const conf = parseBridgeConfig(call.input);
  const prev = call.input.prevResult as CniResult | undefined;
  if (!prev) throw new CniError(cniCode.invalidConfig, "CHECK needs prevResult (the ADD result)");
  if (!netnsExists(call.netns)) throw broken(`netns ${call.netns} does not exist`);
  const container = prev.interfaces?.find((i) => i.name === call.ifname && i.sandbox);
  const host = prev.interfaces?.find((i) => !i.sandbox && i.name !== conf.bridge);
  if (!container || !host) {
    throw broken("prevResult lists no container interface and host veth for this attachment");
  }
  await Promise.all([
    execIpam(call, conf.ipamType, "CHECK"),
    checkContainer(call, prev, container).then((peerIndex) =>
      checkHost(conf.bridge, host, peerIndex),
    ),
    conf.ipMasq ? checkMasq(conf.network, call.containerId, prev) : undefined,
  ]);
}

async function checkContainer(
  call: PluginCall,
  prev: CniResult,
  want: ResultInterface,
): Promise<number | undefined> {
  const [links, routes4, routes6] = (await ipBatch(
    `cannot inspect ${call.ifname} in ${call.netns}`,
    [`addr show dev ${call.ifname}`, "route show", "route show root ::/0"],
    { netns: call.netns, json: true, details: true },
  ).catch(() => {
    throw broken(`interface ${call.ifname} is missing in ${call.netns}`);
  })) as [LinkJson[], RouteJson[], RouteJson[]];
  const routes = [...routes4, ...routes6];
  const link = links[0];
  if (!link) throw broken(`interface ${call.ifname} is missing in ${call.netns}`);
  if (link.linkinfo?.info_kind !== "veth") throw broken(`${call.ifname} is not a veth`);
  if (want.mac && link.address !== want.mac) {
    throw broken(`${call.ifname} has MAC ${link.address}, expected ${want.mac}`);
  }
  const index = (prev.interfaces ?? []).indexOf(want);
  for (const ip of prev.ips ?? []) {
    if (ip.interface !== index) continue;
    const has = (link.addr_info ?? []).some((a) => `${a.local}/${a.prefixlen}` === ip.address);
    if (!has) throw broken(`${call.ifname} lacks address ${ip.address}`);
  }
  for (const route of prev.routes ?? []) {
    const want = canonicalDst(route.dst);
    const gw = route.gw ? parseIp(route.gw) : undefined;
    const gwOk = (r: RouteJson) => !gw || r.gateway === formatIp(gw);
    if (!routes.some((r) => canonicalDst(r.dst) === want && gwOk(r))) {
      throw broken(
        `route to ${route.dst}${route.gw ? ` via ${route.gw}` : ""} is missing in ${call.netns}`,
      );
    }
  }
  return link.link_index;
}

/** `ip` prints "default" for /0 and drops a host route's /32 or /128. */
function canonicalDst(dst: string): string {
  if (dst === "default") return "default";
  const c = parseCidr(dst.includes("/") ? dst : `${dst}/${dst.includes(":") ? 128 : 32}`);
  if (!c) return dst;
  return c.prefix === 0 ? "default" : `${formatIp(c.ip)}/${c.prefix}`;
}

async function checkHost(bridge: string, want: ResultInterface, peerIndex?: number): Promise<void> {
  const [links] = (await ipBatch(
    `cannot inspect host veth ${want.name}`,
    [`link show dev ${want.name}`],
    {
      json: true,
    },
  ).catch(() => {
    throw broken(`host veth ${want.name} is missing`);
  })) as [LinkJson[]];
  const link = links[0];
  if (!link) throw broken(`host veth ${want.name} is missing`);
  if (link.master !== bridge) throw broken(`host veth ${want.name} is not attached to ${bridge}`);
  if (want.mac && link.address !== want.mac) {
    throw broken(`host veth ${want.name} has MAC ${link.address}, expected ${want.mac}`);
  }
  if (peerIndex !== undefined && link.ifindex !== peerIndex) {
    throw broken(`host veth ${want.name} is not the peer of the container interface`);
  }
}

async function checkMasq(network: string, containerId: string, prev: CniResult): Promise<void> {
  const saved = await iptablesSave("nat");
  const chain = chainName(network, containerId);
  if (!saved.chains.has(chain)) throw broken(`masquerade chain ${chain} is missing`);
  for (const ip of prev.ips ?? []) {
    const c = parseCidr(ip.address);
    if (c?.ip.family !== 4) continue;
    const source = `${formatIp(c.ip)}/32`;
    const jump = saved.rules.some(
      (r) => r.chain === "POSTROUTING" && ruleArg(r, "-j") === chain && ruleArg(r, "-s") === source,
    );
    if (!jump) throw broken(`POSTROUTING jump from ${source} to ${chain} is missing`);
  }
}
