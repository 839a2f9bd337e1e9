import { objectsAt, textAt, type JsonObject } from "../../resources/json-access.js";

// Host ports as the NodePorts plugin sees them: containers' ports with hostPort > 0, protocol
// defaulting to TCP and hostIP to 0.0.0.0, which binds every address.

export const bindAllHostIP = "0.0.0.0";

export interface HostPort {
  /** "TCP/8080": the protocol-and-port pair two bindings can collide on. */
  slot: string;
  hostIP: string;
}

export function containerHostPorts(spec: JsonObject): HostPort[] {
  const ports: HostPort[] = [];
  for (const container of objectsAt(spec.containers)) {
    for (const p of objectsAt(container.ports)) {
      const port = typeof p.hostPort === "number" ? p.hostPort : 0;
      if (port <= 0) continue;
      const protocol = textAt(p.protocol) || "TCP";
      ports.push({ slot: `${protocol}/${port}`, hostIP: textAt(p.hostIP) || bindAllHostIP });
    }
  }
  return ports;
}

/** Bindings on one node: slot → host IP → how many pods hold it. */
export type PortUsage = Map<string, Map<string, number>>;

export function addPorts(usage: PortUsage, ports: readonly HostPort[], delta: 1 | -1): void {
  for (const p of ports) {
    let ips = usage.get(p.slot);
    if (!ips) usage.set(p.slot, (ips = new Map()));
    const count = (ips.get(p.hostIP) ?? 0) + delta;
    if (count > 0) ips.set(p.hostIP, count);
    else ips.delete(p.hostIP);
    if (ips.size === 0) usage.delete(p.slot);
  }
}

/** HostPortInfo.CheckConflict: 0.0.0.0 collides with any address on the same slot. */
export function portsConflict(usage: PortUsage, wanted: readonly HostPort[]): boolean {
  for (let i = 0; i < wanted.length; i++) {
    const ips = usage.get(wanted[i].slot);
    if (ips === undefined) continue;
    const ip = wanted[i].hostIP;
    if (ip === bindAllHostIP || ips.has(ip) || ips.has(bindAllHostIP)) return true;
  }
  return false;
}
