import type { ResultIp, ResultRoute } from "../../spec/types.js";
import { parseCidr } from "../common/ip-math.js";
import type { BridgeConfig } from "./config.js";

export interface VethPlan {
  hostName: string;
  hostMac: string;
  ifname: string;
  containerMac: string;
  netns: string;
}

/**
 * Host-side `ip` lines: the veth pair is created with its peer already named and placed in the
 * netns (so nothing is renamed or moved later), then the host end joins the bridge and comes up.
 */
export function hostVethCommands(conf: BridgeConfig, v: VethPlan): string[] {
  const mtu = conf.mtu ? ` mtu ${conf.mtu}` : "";
  const lines = [
    `link add name ${v.hostName}${mtu} address ${v.hostMac} type veth peer name ${v.ifname}${mtu} address ${v.containerMac} netns ${v.netns}`,
    `link set dev ${v.hostName} master ${conf.bridge}`,
  ];
  if (conf.hairpinMode) lines.push(`link set dev ${v.hostName} type bridge_slave hairpin on`);
  lines.push(`link set dev ${v.hostName} up`);
  return lines;
}

/** Netns-side `ip` lines: addresses, link up, then routes (a gateway-less route uses the IP's). */
export function containerCommands(
  ifname: string,
  ips: ResultIp[],
  routes: ResultRoute[],
): string[] {
  const lines = ips.map((ip) => `addr add ${ip.address} dev ${ifname}`);
  lines.push(`link set dev ${ifname} up`);
  for (const route of routes) {
    const family = parseCidr(route.dst)?.ip.family;
    const gw =
      route.gw ??
      ips.find((ip) => ip.gateway && parseCidr(ip.address)?.ip.family === family)?.gateway;
    lines.push(`route add ${route.dst}${gw ? ` via ${gw}` : ""} dev ${ifname}`);
  }
  return lines;
}
