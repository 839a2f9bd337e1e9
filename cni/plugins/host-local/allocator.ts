import { formatIp, parseIp, type Cidr, type Ip } from "../common/ip-math.js";
import type { RangeSet } from "./config.js";
import { exclusionEnd, isGatewayOf, rangeIndexFor } from "./ranges.js";

export interface AllocationState {
  /** Addresses already reserved (file names in the data dir). */
  taken: Set<string>;
  exclude: Cidr[];
  /** The set's last_reserved_ip: the walk resumes after it, round-robin. */
  lastReserved?: string;
}

/**
 * The next free address of a range set, walking from just after the last reserved address
 * through every range in order and wrapping around, as the reference host-local does. Gateways,
 * exclusions and taken addresses are skipped. Undefined when the set is exhausted.
 */
export function nextFreeAddress(set: RangeSet, state: AllocationState): Ip | undefined {
  for (const [rangeIdx, from, to] of walk(set, state.lastReserved)) {
    const family = set[rangeIdx].start.family;
    let v = from;
    while (v <= to) {
      const ip: Ip = { family, value: v };
      const excludedUntil = exclusionEnd(state.exclude, ip);
      if (excludedUntil) {
        v = excludedUntil.value + 1n;
      } else if (isGatewayOf(set, ip) || state.taken.has(formatIp(ip))) {
        v += 1n;
      } else {
        return ip;
      }
    }
  }
  return undefined;
}

/** Segments [range index, first, last] covering the whole set once, starting after `last`. */
function* walk(
  set: RangeSet,
  lastReserved: string | undefined,
): Generator<[number, bigint, bigint]> {
  const last = lastReserved === undefined ? undefined : parseIp(lastReserved);
  const lastIdx = last ? rangeIndexFor(set, last) : -1;
  let startIdx = 0;
  let startValue = set[0].start.value;
  if (last && lastIdx >= 0) {
    if (last.value < set[lastIdx].end.value) {
      startIdx = lastIdx;
      startValue = last.value + 1n;
    } else {
      startIdx = (lastIdx + 1) % set.length;
      startValue = set[startIdx].start.value;
    }
  }
  yield [startIdx, startValue, set[startIdx].end.value];
  for (let k = 1; k < set.length; k++) {
    const i = (startIdx + k) % set.length;
    yield [i, set[i].start.value, set[i].end.value];
  }
  if (startValue > set[startIdx].start.value) {
    yield [startIdx, set[startIdx].start.value, startValue - 1n];
  }
}

/** How many addresses of the set could still be handed out. */
export function freeAddressCount(set: RangeSet, state: AllocationState): bigint {
  let free = 0n;
  for (const r of set) {
    const blocked: [bigint, bigint][] = [];
    const clip = (a: bigint, b: bigint) => {
      const lo = a > r.start.value ? a : r.start.value;
      const hi = b < r.end.value ? b : r.end.value;
      if (lo <= hi) blocked.push([lo, hi]);
    };
    for (const g of set)
      if (g.gateway.family === r.start.family) clip(g.gateway.value, g.gateway.value);
    for (const c of state.exclude) {
      if (c.ip.family !== r.start.family) continue;
      const span = (1n << BigInt((c.ip.family === 4 ? 32 : 128) - c.prefix)) - 1n;
      const first = c.ip.value & ~span;
      clip(first, first | span);
    }
    for (const t of state.taken) {
      const ip = parseIp(t);
      if (ip && ip.family === r.start.family) clip(ip.value, ip.value);
    }
    free += r.end.value - r.start.value + 1n - mergedLength(blocked);
  }
  return free;
}

function mergedLength(intervals: [bigint, bigint][]): bigint {
  intervals.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let total = 0n;
  let cur: [bigint, bigint] | undefined;
  for (const [a, b] of intervals) {
    if (cur && a <= cur[1] + 1n) {
      if (b > cur[1]) cur[1] = b;
    } else {
      if (cur) total += cur[1] - cur[0] + 1n;
      cur = [a, b];
    }
  }
  if (cur) total += cur[1] - cur[0] + 1n;
  return total;
}
