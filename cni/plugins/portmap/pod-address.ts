import { isIPv4 } from "node:net";
import type { CniResult } from "../../spec/types.js";

/** The pod's IPv4 address on the attachment, with the subnet it sits in. */
export interface PodAddress {
  ip: string;
  /** The subnet in canonical form (`10.88.0.0/16`), as iptables prints a source match. */
  subnet: string;
}

/**
 * The first IPv4 address in `prevResult` that belongs to the container interface `ifname`
 * (entries pointing at a host-side interface are skipped; entries without an index count).
 */
export function podAddress(result: CniResult, ifname: string): PodAddress | undefined {
  const interfaces = result.interfaces ?? [];
  for (const entry of result.ips ?? []) {
    const [ip, prefixText] = entry.address.split("/");
    if (!isIPv4(ip)) continue;
    const index = entry.interface;
    if (index !== undefined && index >= 0 && index < interfaces.length) {
      const iface = interfaces[index];
      if (iface.name !== ifname || !iface.sandbox) continue;
    }
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) continue;
    return { ip, subnet: `${networkOf(ip, prefix)}/${prefix}` };
  }
  return undefined;
}

/** The network address of `ip` under a prefix length. */
export function networkOf(ip: string, prefix: number): string {
  const value = ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(value / size) * size;
  return [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join(".");
}

/**
 * The host-side interface named in the result (the bridge, listed first by bridge plugins, or a
 * ptp host veth): the first interface without a sandbox whose name is safe in a /proc path.
 */
export function hostInterface(result: CniResult): string | undefined {
  const found = (result.interfaces ?? []).find((i) => !i.sandbox);
  if (!found) return undefined;
  const name = found.name;
  const safe = /^[^/\s]{1,15}$/.test(name) && ![".", "..", "all", "default"].includes(name);
  return safe ? name : undefined;
}
