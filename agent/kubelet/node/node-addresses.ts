import { readFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import { invalidArgument } from "../../../lib/errors.js";

export interface NodeAddress {
  type: string;
  address: string;
}

type Interfaces = NodeJS.Dict<os.NetworkInterfaceInfo[]>;

/**
 * InternalIP (the given one, else the host's primary IPv4: the address of the interface holding
 * the default route) and Hostname. Only reads the host's tables; sends nothing anywhere.
 */
export async function nodeAddresses(options: {
  internalIP?: string;
  hostname: string;
  routeFile?: string;
  interfaces?: Interfaces;
}): Promise<NodeAddress[]> {
  let ip = options.internalIP;
  if (ip !== undefined && !net.isIP(ip)) {
    throw invalidArgument(`internalIP ${JSON.stringify(ip)} is not an IP address`, {
      field: "internalIP",
    });
  }
  ip ??= await primaryIPv4(options.routeFile, options.interfaces ?? os.networkInterfaces());
  return [
    ...(ip ? [{ type: "InternalIP", address: ip }] : []),
    { type: "Hostname", address: options.hostname },
  ];
}

/** The IPv4 address of the default route's interface, else the first global IPv4 address. */
export async function primaryIPv4(
  routeFile = "/proc/net/route",
  interfaces: Interfaces = os.networkInterfaces(),
): Promise<string | undefined> {
  const ipv4Of = (name: string) =>
    (interfaces[name] ?? []).find(
      (a) => a.family === "IPv4" && !a.internal && !a.address.startsWith("169.254."),
    )?.address;
  const defaultIface = await defaultRouteInterface(routeFile);
  const viaRoute = defaultIface === undefined ? undefined : ipv4Of(defaultIface);
  if (viaRoute) return viaRoute;
  for (const name of Object.keys(interfaces).sort()) {
    const address = ipv4Of(name);
    if (address) return address;
  }
  return undefined;
}

/** The interface of the lowest-metric default route in /proc/net/route. */
async function defaultRouteInterface(routeFile: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(routeFile, "utf8");
  } catch {
    return undefined;
  }
  let best: { iface: string; metric: number } | undefined;
  for (const line of text.split("\n").slice(1)) {
    const [iface, destination, , , , , metric, mask] = line.trim().split(/\s+/);
    if (destination !== "00000000" || mask !== "00000000") continue;
    const m = Number(metric);
    if (!best || m < best.metric) best = { iface, metric: m };
  }
  return best?.iface;
}
