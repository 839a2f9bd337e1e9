import type { Cidr, Ip } from "../common/ip-math.js";
import { cidrContains, lastOf, networkOf } from "../common/ip-math.js";
import type { IpRange, RangeSet } from "./config.js";

export function rangeContains(r: IpRange, ip: Ip): boolean {
  return r.start.family === ip.family && ip.value >= r.start.value && ip.value <= r.end.value;
}

/** Address intervals intersect (what the reference plugin calls overlapping ranges). */
export function rangesOverlap(a: IpRange, b: IpRange): boolean {
  return (
    a.start.family === b.start.family &&
    a.start.value <= b.end.value &&
    b.start.value <= a.end.value
  );
}

/** The index of the range in `set` that holds `ip`, or -1. */
export function rangeIndexFor(set: RangeSet, ip: Ip): number {
  return set.findIndex((r) => rangeContains(r, ip));
}

export function isGatewayOf(set: RangeSet, ip: Ip): boolean {
  return set.some((r) => r.gateway.family === ip.family && r.gateway.value === ip.value);
}

export function isExcluded(exclude: Cidr[], ip: Ip): boolean {
  return exclude.some((c) => cidrContains(c, ip));
}

/** The last address of the exclusion holding `ip`, so an iterator can jump past it. */
export function exclusionEnd(exclude: Cidr[], ip: Ip): Ip | undefined {
  let end: Ip | undefined;
  for (const c of exclude) {
    if (cidrContains(c, ip) && (!end || lastOf(c).value > end.value)) end = lastOf(c);
  }
  return end;
}

/** Address intervals [first, last] covered by `cidr`. */
export function cidrInterval(cidr: Cidr): [bigint, bigint] {
  return [networkOf(cidr).value, lastOf(cidr).value];
}
