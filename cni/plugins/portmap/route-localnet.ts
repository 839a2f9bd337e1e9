import { existsSync, writeFileSync } from "node:fs";
import type { CniResult } from "../../spec/types.js";
import { runTool } from "../common/tool.js";
import { hostInterface } from "./pod-address.js";

const confDir = (name: string) => `/proc/sys/net/ipv4/conf/${name}`;

/**
 * Sets route_localnet=1 on the host interface toward the pod, so that 127.0.0.1:<hostPort>,
 * DNATed in OUTPUT, may leave through it (and be masqueraded). The interface is the host-side one
 * in the result (a bridge, or a ptp veth), else the route to the pod's address. Never `all`: that
 * would let 127/8 be routed on every interface. Returns the interface set, if any.
 */
export async function enableRouteLocalnet(
  result: CniResult,
  podIp: string,
): Promise<string | undefined> {
  const named = hostInterface(result);
  const name = named && existsSync(confDir(named)) ? named : await routeInterface(podIp);
  if (!name) {
    process.stderr.write(
      `berth-portmap: no host interface toward ${podIp}; route_localnet unset\n`,
    );
    return undefined;
  }
  writeFileSync(`${confDir(name)}/route_localnet`, "1");
  return name;
}

async function routeInterface(ip: string): Promise<string | undefined> {
  try {
    const { stdout } = await runTool("route lookup", "ip", ["-o", "-4", "route", "get", ip]);
    // Only a directly connected pod: a route via a gateway (the default route) is not toward it.
    if (/ via /.test(stdout)) return undefined;
    const dev = / dev (\S+)/.exec(stdout)?.[1];
    return dev && dev !== "lo" && existsSync(confDir(dev)) ? dev : undefined;
  } catch {
    return undefined;
  }
}
