import { readFileSync } from "node:fs";
import type { DnsConfig, PluginInput, ResultRoute } from "../../spec/types.js";
import { CniError, cniCode } from "../../spec/errors.js";
import {
  addToIp,
  bitsOf,
  cidrContains,
  formatCidr,
  formatIp,
  lastOf,
  networkOf,
  parseCidr,
  parseIp,
  type Cidr,
  type Ip,
} from "../common/ip-math.js";
import { rangesOverlap } from "./ranges.js";
import { parseResolvConf } from "./resolv-conf.js";

export const defaultDataDir = "/var/lib/cni/networks";

/** One `ranges[i][j]` entry with its defaults filled in. */
export interface IpRange {
  subnet: Cidr;
  start: Ip;
  end: Ip;
  gateway: Ip;
}

/** One address is taken from each set (two sets = dual stack). */
export type RangeSet = IpRange[];

export interface HostLocalConfig {
  network: string;
  /** `<dataDir>/<network>`: where reservations live. */
  dir: string;
  rangeSets: RangeSet[];
  routes: ResultRoute[];
  /** Addresses never handed out. */
  exclude: Cidr[];
  dns?: DnsConfig;
}

export function invalid(field: string, problem: string): CniError {
  return new CniError(cniCode.invalidConfig, `ipam.${field}: ${problem}`);
}

type Raw = Record<string, unknown>;

/**
 * Only where the reservations live (`<dataDir>/<network>`): all a DEL needs. A DEL must still
 * release what an earlier, valid config reserved after the ranges were edited into something
 * invalid, and a config whose ranges never parsed can have reserved nothing.
 */
export function reservationDir(input: PluginInput): string {
  const ipam = input.ipam as Raw | undefined;
  if (typeof ipam !== "object" || ipam === null || Array.isArray(ipam)) {
    throw new CniError(cniCode.invalidConfig, "ipam: missing IPAM configuration object");
  }
  if (typeof input.name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(input.name)) {
    throw new CniError(
      cniCode.invalidConfig,
      `name: invalid network name ${JSON.stringify(input.name)}`,
    );
  }
  return `${optionalString(ipam, "dataDir") ?? defaultDataDir}/${input.name}`;
}

export function parseHostLocalConfig(input: PluginInput): HostLocalConfig {
  const dir = reservationDir(input);
  const ipam = input.ipam as Raw;
  const rangeSets = parseRangeSets(ipam);
  checkSetsDisjoint(rangeSets);
  return {
    network: input.name,
    dir,
    rangeSets,
    routes: parseRoutes(ipam.routes),
    exclude: parseExclude(ipam.exclude),
    dns: loadResolvConf(optionalString(ipam, "resolvConf")),
  };
}

function optionalString(obj: Raw, key: string): string | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v === "") throw invalid(key, "must be a non-empty string");
  return v;
}

function parseRangeSets(ipam: Raw): RangeSet[] {
  // The pre-`ranges` form (subnet/rangeStart/rangeEnd/gateway directly under ipam) is one set.
  if (ipam.ranges === undefined && ipam.subnet !== undefined) {
    return [[parseRange(ipam, "")]];
  }
  if (!Array.isArray(ipam.ranges) || ipam.ranges.length === 0) {
    throw invalid("ranges", "must be a non-empty list of range sets");
  }
  return ipam.ranges.map((set: unknown, i) => {
    if (!Array.isArray(set) || set.length === 0) {
      throw invalid(`ranges[${i}]`, "must be a non-empty list of ranges");
    }
    const ranges = set.map((r: unknown, j) => {
      if (typeof r !== "object" || r === null)
        throw invalid(`ranges[${i}][${j}]`, "must be an object");
      return parseRange(r as Raw, `ranges[${i}][${j}].`);
    });
    checkSetConsistent(ranges, i);
    return ranges;
  });
}

function parseRange(raw: Raw, at: string): IpRange {
  const subnetText = raw.subnet;
  const subnet = typeof subnetText === "string" ? parseCidr(subnetText) : undefined;
  if (!subnet) throw invalid(`${at}subnet`, `${JSON.stringify(subnetText)} is not a CIDR subnet`);
  const network = networkOf(subnet);
  if (network.value !== subnet.ip.value) {
    throw invalid(
      `${at}subnet`,
      `${subnetText} has host bits set; the network address for /${subnet.prefix} is ${formatIp(network)}`,
    );
  }
  if (subnet.prefix > bitsOf(subnet.ip.family) - 2) {
    throw invalid(
      `${at}subnet`,
      `network ${subnetText} is too small to allocate from (smallest is /${bitsOf(subnet.ip.family) - 2})`,
    );
  }
  // Usable addresses: network+1 … last (IPv4 excludes the broadcast address).
  const first = addToIp(network, 1n);
  const last = subnet.ip.family === 4 ? addToIp(lastOf(subnet), -1n) : lastOf(subnet);
  const usable: Cidr = subnet;
  const start = optionalAddress(raw, "rangeStart", at, subnet) ?? first;
  const end = optionalAddress(raw, "rangeEnd", at, subnet) ?? last;
  for (const [key, ip] of [
    ["rangeStart", start],
    ["rangeEnd", end],
  ] as const) {
    if (!cidrContains(usable, ip) || ip.value < first.value || ip.value > last.value) {
      throw invalid(
        `${at}${key}`,
        `${formatIp(ip)} is not a usable address of ${formatCidr(subnet)}`,
      );
    }
  }
  if (start.value > end.value) {
    throw invalid(`${at}rangeStart`, `${formatIp(start)} is after rangeEnd ${formatIp(end)}`);
  }
  const gateway = optionalAddress(raw, "gateway", at, subnet) ?? first;
  return { subnet, start, end, gateway };
}

function optionalAddress(raw: Raw, key: string, at: string, subnet: Cidr): Ip | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  const ip = typeof v === "string" ? parseIp(v) : undefined;
  if (!ip) throw invalid(`${at}${key}`, `${JSON.stringify(v)} is not an IP address`);
  if (ip.family !== subnet.ip.family) {
    throw invalid(`${at}${key}`, `${v} is not in the address family of ${formatCidr(subnet)}`);
  }
  return ip;
}

function checkSetConsistent(set: RangeSet, i: number): void {
  const family = set[0].subnet.ip.family;
  set.forEach((r, j) => {
    if (r.subnet.ip.family !== family) {
      throw invalid(`ranges[${i}][${j}]`, "mixes IPv4 and IPv6 ranges in one range set");
    }
    for (let k = 0; k < j; k++) {
      if (rangesOverlap(set[k], r)) {
        throw invalid(`ranges[${i}][${j}]`, `overlaps ranges[${i}][${k}] (${describe(set[k])})`);
      }
    }
  });
}

function checkSetsDisjoint(sets: RangeSet[]): void {
  sets.forEach((set, i) => {
    for (let k = 0; k < i; k++) {
      for (const a of sets[k]) {
        for (const b of set) {
          if (rangesOverlap(a, b)) {
            throw invalid(
              `ranges[${i}]`,
              `range set ${i} (${describe(b)}) overlaps range set ${k} (${describe(a)})`,
            );
          }
        }
      }
    }
  });
}

export function describe(r: IpRange): string {
  return `${formatCidr(r.subnet)} ${formatIp(r.start)}-${formatIp(r.end)}`;
}

function parseRoutes(raw: unknown): ResultRoute[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalid("routes", "must be a list");
  return raw.map((r: unknown, i) => {
    const route = r as Raw;
    const dst = typeof route?.dst === "string" ? parseCidr(route.dst) : undefined;
    if (!dst) throw invalid(`routes[${i}].dst`, `${JSON.stringify(route?.dst)} is not a CIDR`);
    const out: ResultRoute = { dst: route.dst as string };
    if (route.gw !== undefined) {
      const gw = typeof route.gw === "string" ? parseIp(route.gw) : undefined;
      if (!gw || gw.family !== dst.ip.family) {
        throw invalid(
          `routes[${i}].gw`,
          `${JSON.stringify(route.gw)} is not an address of dst's family`,
        );
      }
      out.gw = route.gw as string;
    }
    return out;
  });
}

function parseExclude(raw: unknown): Cidr[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalid("exclude", "must be a list of addresses or CIDRs");
  return raw.map((e: unknown, i) => {
    const text = typeof e === "string" ? e : "";
    const cidr = text.includes("/") ? parseCidr(text) : undefined;
    const ip = text.includes("/") ? undefined : parseIp(text);
    if (cidr) return cidr;
    if (ip) return { ip, prefix: bitsOf(ip.family) };
    throw invalid(`exclude[${i}]`, `${JSON.stringify(e)} is not an address or CIDR`);
  });
}

function loadResolvConf(path: string | undefined): DnsConfig | undefined {
  if (path === undefined) return undefined;
  try {
    return parseResolvConf(readFileSync(path, "utf8"));
  } catch (err) {
    throw invalid("resolvConf", `cannot read ${path}: ${(err as Error).message}`);
  }
}
