import type { PluginCall } from "../skel.js";
import { CniError } from "../../spec/errors.js";
import { parseCidr, formatIp } from "../common/ip-math.js";
import { toolFailureCode } from "../common/tool.js";
import { parseHostLocalConfig } from "./config.js";
import { rangeIndexFor } from "./ranges.js";
import { ReservationStore } from "./store.js";

/**
 * The attachment still holds its reservations: every prevResult address inside our ranges (or,
 * without a prevResult, at least one address) is reserved for this container ID and ifname.
 */
export async function hostLocalCheck(call: PluginCall): Promise<void> {
  const conf = parseHostLocalConfig(call.input);
  const store = new ReservationStore(conf.dir);
  const held = new Set(store.byAttachment(call.containerId, call.ifname).map((r) => r.ip));
  const expected = (call.input.prevResult?.ips ?? [])
    .map((ip) => parseCidr(ip.address)?.ip)
    .filter((ip) => ip !== undefined && conf.rangeSets.some((s) => rangeIndexFor(s, ip) >= 0))
    .map((ip) => formatIp(ip!));
  if (expected.length === 0 && held.size === 0) {
    throw new CniError(
      toolFailureCode,
      `no address is reserved for ${call.containerId}/${call.ifname} in network ${conf.network}`,
    );
  }
  for (const ip of expected) {
    if (!held.has(ip)) {
      throw new CniError(
        toolFailureCode,
        `${ip} is not reserved for ${call.containerId}/${call.ifname} in network ${conf.network}`,
      );
    }
  }
}
