import type { PluginCall } from "../skel.js";
import type { CniCommand, CniResult, ResultIp, ResultRoute } from "../../spec/types.js";
import { CniError, cniCode } from "../../spec/errors.js";
import { findPlugin, type PluginEnv } from "../../exec/exec-plugin.js";
import { callPlugin } from "../builtin.js";

/**
 * Runs the IPAM delegate with the same environment and the full stdin, as the spec requires
 * (in this process when it is this installation's own berth-host-local: see callPlugin).
 */
export async function execIpam(
  call: PluginCall,
  ipamType: string,
  command: CniCommand,
): Promise<unknown> {
  const binary = findPlugin(ipamType, call.path);
  const env: PluginEnv = {
    command,
    containerId: call.containerId || undefined,
    netns: call.netns || undefined,
    ifname: call.ifname || undefined,
    args: call.args,
    path: call.path,
  };
  return callPlugin(binary, call.input, env);
}

/** The IPAM ADD output as a 1.x result (0.3/0.4 delegates add ips[].version; dropped here). */
export function ipamResult(raw: unknown, ipamType: string): CniResult {
  const r = raw as Partial<CniResult> | undefined;
  if (!r || !Array.isArray(r.ips) || r.ips.length === 0) {
    throw new CniError(cniCode.invalidConfig, `IPAM plugin "${ipamType}" returned no IP addresses`);
  }
  const ips: ResultIp[] = r.ips.map((ip) => ({
    address: ip.address,
    ...(ip.gateway ? { gateway: ip.gateway } : {}),
  }));
  const routes: ResultRoute[] = (r.routes ?? []).map((route) => ({ ...route }));
  return { cniVersion: r.cniVersion ?? "", ips, routes, dns: r.dns };
}
