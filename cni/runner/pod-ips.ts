import type { CniResult } from "../spec/types.js";

/**
 * The pod's addresses (without prefix length): the ips on an interface inside a sandbox, or every
 * ip when none names an interface (IPAM-style results).
 */
export function podIps(result: CniResult): string[] {
  const ips = result.ips ?? [];
  const interfaces = result.interfaces ?? [];
  const referenced = ips.some((ip) => ip.interface !== undefined);
  return ips
    .filter((ip) => {
      if (!referenced) return true;
      if (ip.interface === undefined) return false;
      return Boolean(interfaces[ip.interface]?.sandbox);
    })
    .map((ip) => ip.address.split("/")[0]);
}
