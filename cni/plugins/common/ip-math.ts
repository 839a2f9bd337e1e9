import { isIPv4, isIPv6 } from "node:net";

/** An IP address as a number, so ranges can be walked and compared. */
export interface Ip {
  family: 4 | 6;
  value: bigint;
}

/** An address with a prefix length; `ip` may have host bits set (e.g. 10.0.0.5/24). */
export interface Cidr {
  ip: Ip;
  prefix: number;
}

export function bitsOf(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

export function parseIp(text: string): Ip | undefined {
  if (isIPv4(text)) {
    const value = text.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
    return { family: 4, value };
  }
  if (isIPv6(text)) return { family: 6, value: parseIpv6(text) };
  return undefined;
}

function parseIpv6(text: string): bigint {
  let hex = text;
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const v4 = parseIp(tail)!.value;
    hex = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  let groups: string[];
  if (hex.includes("::")) {
    const [left, right] = hex.split("::");
    const l = left ? left.split(":") : [];
    const r = right ? right.split(":") : [];
    groups = [...l, ...Array<string>(8 - l.length - r.length).fill("0"), ...r];
  } else {
    groups = hex.split(":");
  }
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export function formatIp(ip: Ip): string {
  if (ip.family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => ((ip.value >> s) & 0xffn).toString()).join(".");
  }
  const groups = Array.from({ length: 8 }, (_, i) =>
    Number((ip.value >> BigInt(112 - 16 * i)) & 0xffffn),
  );
  // RFC 5952: compress the longest run (length ≥ 2) of zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  const left = hex.slice(0, bestStart).join(":");
  const right = hex.slice(bestStart + bestLen).join(":");
  return `${left}::${right}`;
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > bitsOf(ip.family)) return undefined;
  return { ip, prefix };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.ip)}/${cidr.prefix}`;
}

function hostMask(family: 4 | 6, prefix: number): bigint {
  return (1n << BigInt(bitsOf(family) - prefix)) - 1n;
}

/** The network address (host bits cleared). */
export function networkOf(cidr: Cidr): Ip {
  return { family: cidr.ip.family, value: cidr.ip.value & ~hostMask(cidr.ip.family, cidr.prefix) };
}

/** The last address of the subnet (the IPv4 broadcast address). */
export function lastOf(cidr: Cidr): Ip {
  return { family: cidr.ip.family, value: cidr.ip.value | hostMask(cidr.ip.family, cidr.prefix) };
}

/** The subnet itself: network address and prefix. */
export function subnetOf(cidr: Cidr): Cidr {
  return { ip: networkOf(cidr), prefix: cidr.prefix };
}

export function cidrContains(cidr: Cidr, ip: Ip): boolean {
  return (
    cidr.ip.family === ip.family &&
    ip.value >= networkOf(cidr).value &&
    ip.value <= lastOf(cidr).value
  );
}

export function addToIp(ip: Ip, n: bigint): Ip {
  return { family: ip.family, value: ip.value + n };
}

export function ipEquals(a: Ip, b: Ip): boolean {
  return a.family === b.family && a.value === b.value;
}

/** Parses "a.b.c.d" or "a.b.c.d/n" (the address part only is kept for the latter). */
export function parseIpOrCidrAddress(text: string): Ip | undefined {
  return text.includes("/") ? parseCidr(text)?.ip : parseIp(text);
}
