import type { PluginCall } from "../skel.js";
import type { CniResult, ResultIp } from "../../spec/types.js";
import { CniError } from "../../spec/errors.js";
import { formatIp, parseIp, type Cidr, type Ip } from "../common/ip-math.js";
import { toolFailureCode } from "../common/tool.js";
import { describe, parseHostLocalConfig, type HostLocalConfig, type RangeSet } from "./config.js";
import { nextFreeAddress } from "./allocator.js";
import { isExcluded, isGatewayOf, rangeIndexFor } from "./ranges.js";
import { requestedIps } from "./requested-ips.js";
import { ReservationStore } from "./store.js";

/** Takes one address from every range set for the attachment, all or nothing. */
export async function hostLocalAdd(call: PluginCall): Promise<CniResult> {
  const conf = parseHostLocalConfig(call.input);
  const requested = requestedIps(call, conf.rangeSets);
  const store = new ReservationStore(conf.dir);
  const ips = await store.locked(() => reserveAll(call, conf, requested, store));
  return {
    cniVersion: call.input.cniVersion,
    ips,
    ...(conf.routes.length > 0 ? { routes: conf.routes } : {}),
    dns: conf.dns ?? {},
  };
}

function reserveAll(
  call: PluginCall,
  conf: HostLocalConfig,
  requested: Map<number, Ip>,
  store: ReservationStore,
): ResultIp[] {
  const all = store.list();
  const taken = new Set(all.map((r) => r.ip));
  const mine = all.filter((r) => r.containerId === call.containerId && r.ifname === call.ifname);
  const got: string[] = [];
  try {
    return conf.rangeSets.map((set, i) => {
      // Like the reference plugin: a second ADD of the same attachment is an error, not a
      // replay, because the spec forbids ADD twice without DEL and a silent success would hide
      // a runtime bug. (Its reservation is left in place.)
      const held = mine.find((r) => heldIn(set, r.ip));
      if (held) {
        throw new CniError(
          toolFailureCode,
          `${held.ip} is already allocated to ${call.containerId}/${call.ifname}: duplicate allocation is not allowed`,
        );
      }
      const ip =
        requested.get(i) ??
        nextFreeAddress(set, {
          taken,
          exclude: conf.exclude,
          lastReserved: store.lastReserved(i),
        });
      if (!ip) {
        throw new CniError(
          toolFailureCode,
          `no IP addresses available in range set ${i} (${set.map(describe).join(", ")})`,
        );
      }
      const text = formatIp(ip);
      if (requested.has(i)) checkRequested(ip, set, conf.exclude);
      if (!store.reserve(text, call.containerId, call.ifname, i)) {
        throw new CniError(
          toolFailureCode,
          `requested IP address ${text} is not available in range set ${i}`,
        );
      }
      got.push(text);
      taken.add(text);
      const range = set[rangeIndexFor(set, ip)];
      return { address: `${text}/${range.subnet.prefix}`, gateway: formatIp(range.gateway) };
    });
  } catch (err) {
    for (const ip of got) store.release(ip);
    throw err;
  }
}

function checkRequested(ip: Ip, set: RangeSet, exclude: Cidr[]): void {
  if (isGatewayOf(set, ip)) {
    throw new CniError(toolFailureCode, `requested IP ${formatIp(ip)} is the range's gateway`);
  }
  if (isExcluded(exclude, ip)) {
    throw new CniError(toolFailureCode, `requested IP ${formatIp(ip)} is excluded by ipam.exclude`);
  }
}

function heldIn(set: RangeSet, fileName: string): boolean {
  const ip = parseIp(fileName);
  return ip !== undefined && rangeIndexFor(set, ip) >= 0;
}
