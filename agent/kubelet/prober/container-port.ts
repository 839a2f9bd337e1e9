import type { Container } from "../../kube/types.js";

/**
 * A probe's or hook's port: a number, or the name of one of the container's ports (a string of
 * digits that names no port is taken as a number). The errors are kubelet's.
 */
export function resolveContainerPort(
  port: number | string | undefined,
  container: Container,
): number {
  let value: number;
  if (typeof port === "number") {
    value = port;
  } else if (typeof port === "string") {
    const named = (container.ports ?? []).find((p) => p.name === port);
    if (named) {
      value = named.containerPort;
    } else if (/^[+-]?\d+$/.test(port)) {
      value = Number.parseInt(port, 10);
    } else {
      throw new Error(`port ${port} not found`);
    }
  } else {
    throw new Error("port is not set");
  }
  if (!Number.isInteger(value) || value <= 0 || value >= 65536) {
    throw new Error(`invalid port number: ${value}`);
  }
  return value;
}

/** host:port, with an IPv6 address in brackets. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
