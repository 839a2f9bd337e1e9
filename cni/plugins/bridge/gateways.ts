import type { CniResult, ResultRoute } from "../../spec/types.js";
import { addToIp, formatIp, networkOf, parseCidr, parseIp, type Cidr } from "../common/ip-math.js";
import { CniError, cniCode } from "../../spec/errors.js";

export interface Layer3 {
  /** The result's ips and routes, with gateways filled in and the default route added. */
  result: Pick<CniResult, "ips" | "routes">;
  /** Gateway addresses (with the subnet's prefix) for the bridge. */
  bridgeAddresses: Cidr[];
}

/**
 * Derives the L3 setup from the IPAM result, as the reference bridge does: every IP belongs to
 * interface 2 (the container side); with isGateway a missing gateway becomes the subnet's first
 * address and each gateway goes on the bridge; with isDefaultGateway a default route via it is
 * added unless IPAM already routes the default for that family.
 */
export function layer3(
  ipam: CniResult,
  opts: { isGateway: boolean; isDefaultGateway: boolean },
): Layer3 {
  const routes: ResultRoute[] = [...(ipam.routes ?? [])];
  const bridgeAddresses: Cidr[] = [];
  const ips = (ipam.ips ?? []).map((ip) => {
    const cidr = parseCidr(ip.address);
    if (!cidr) {
      throw new CniError(cniCode.invalidConfig, `IPAM returned an invalid address ${ip.address}`);
    }
    let gateway = ip.gateway;
    if (opts.isGateway) {
      gateway ??= formatIp(addToIp(networkOf(cidr), 1n));
      const gw = parseIp(gateway);
      if (
        gw &&
        !bridgeAddresses.some((b) => b.ip.value === gw.value && b.ip.family === gw.family)
      ) {
        bridgeAddresses.push({ ip: gw, prefix: cidr.prefix });
      }
    }
    if (opts.isDefaultGateway && gateway) {
      const dst = cidr.ip.family === 4 ? "0.0.0.0/0" : "::/0";
      // Any default route of the family counts (the reference requires a gw on it, and then
      // fails adding a second default route when IPAM listed one without gw).
      if (!routes.some((r) => r.dst === dst)) routes.push({ dst, gw: gateway });
    }
    return { interface: 2, address: ip.address, ...(gateway ? { gateway } : {}) };
  });
  return { result: { ips, routes }, bridgeAddresses };
}
