import type { PluginCall } from "../skel.js";
import { CniError, cniCode } from "../../spec/errors.js";
import { formatIp, parseIpOrCidrAddress, type Ip } from "../common/ip-math.js";
import type { RangeSet } from "./config.js";
import { rangeIndexFor } from "./ranges.js";

/**
 * Specific addresses the runtime asked for — `runtimeConfig.ips` (the `ips` capability),
 * `args.cni.ips` and CNI_ARGS `IP=a,b` — keyed by the range set each one falls in.
 */
export function requestedIps(call: PluginCall, sets: RangeSet[]): Map<number, Ip> {
  const sources: [string, unknown][] = [];
  const runtimeIps = call.input.runtimeConfig?.ips;
  if (runtimeIps !== undefined) sources.push(["runtimeConfig.ips", runtimeIps]);
  const argsIps = (call.input.args as { cni?: { ips?: unknown } } | undefined)?.cni?.ips;
  if (argsIps !== undefined) sources.push(["args.cni.ips", argsIps]);
  if (call.args.IP) sources.push(["CNI_ARGS IP", call.args.IP.split(",")]);

  const bySet = new Map<number, Ip>();
  for (const [field, value] of sources) {
    if (!Array.isArray(value)) {
      throw new CniError(cniCode.invalidConfig, `${field}: must be a list of addresses`);
    }
    for (const text of value) {
      const ip = typeof text === "string" ? parseIpOrCidrAddress(text.trim()) : undefined;
      if (!ip) {
        throw new CniError(
          cniCode.invalidConfig,
          `${field}: ${JSON.stringify(text)} is not an IP address`,
        );
      }
      const setIndex = sets.findIndex((s) => rangeIndexFor(s, ip) >= 0);
      if (setIndex < 0) {
        throw new CniError(
          cniCode.invalidConfig,
          `${field}: requested IP ${formatIp(ip)} is not in any configured range`,
        );
      }
      const other = bySet.get(setIndex);
      if (other && other.value !== ip.value) {
        throw new CniError(
          cniCode.invalidConfig,
          `${field}: requested IPs ${formatIp(other)} and ${formatIp(ip)} both fall in range set ${setIndex}`,
        );
      }
      bySet.set(setIndex, ip);
    }
  }
  return bySet;
}
