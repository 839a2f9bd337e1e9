import type { CniResult } from "../../spec/types.js";

/**
 * Shapes a 1.x result for the caller's cniVersion: 0.3.x/0.4.0 results carry ips[].version and
 * no 1.1-only route fields. Newer versions pass through.
 */
export function resultForVersion(result: CniResult, cniVersion: string): CniResult {
  if (!/^0\.[34]\./.test(cniVersion)) return { ...result, cniVersion };
  return {
    ...result,
    cniVersion,
    ips: result.ips?.map((ip) => ({ version: ip.address.includes(":") ? "6" : "4", ...ip })),
    routes: result.routes?.map((r) => ({ dst: r.dst, ...(r.gw ? { gw: r.gw } : {}) })),
  };
}
