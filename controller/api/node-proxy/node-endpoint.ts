import net from "node:net";
import type { KubeObject } from "../../resources/kube-object.js";
import { numberAt, objectAt, objectsAt, textAt } from "../../resources/json-access.js";
import { internalError } from "../status.js";

/** Where a node's agent serves its streaming API. */
export interface NodeEndpoint {
  nodeName: string;
  /** An IP address or a host name, as the node reports it. */
  host: string;
  port: number;
}

const hostnameLabel = "kubernetes.io/hostname";

/**
 * The node's agent address as kube-apiserver's NodeConnectionInfoGetter finds it: the first
 * address of the first preferred type the node reports (a Hostname may also come from the
 * kubernetes.io/hostname label), and status.daemonEndpoints.kubeletEndpoint.Port, or
 * `defaultPort` when that is unset.
 */
export function nodeEndpoint(
  node: KubeObject,
  preferredTypes: string[],
  defaultPort: number,
): NodeEndpoint {
  const status = objectAt(node.status) ?? {};
  const addresses = objectsAt(status.addresses).map((a) => ({
    type: textAt(a.type),
    address: textAt(a.address),
  }));
  let host: string | undefined;
  for (const type of preferredTypes) {
    host = addresses.find((a) => a.type === type && a.address !== "")?.address;
    if (!host && type === "Hostname") host = node.metadata?.labels?.[hostnameLabel] || undefined;
    if (host) break;
  }
  if (!host) {
    const known = addresses.map((a) => `{${a.type} ${a.address}}`).join(" ");
    throw internalError(`no preferred addresses found; known addresses: [${known}]`);
  }
  const endpoints = objectAt(status.daemonEndpoints);
  const reported = numberAt(objectAt(endpoints?.kubeletEndpoint)?.Port);
  const port = reported !== undefined && reported > 0 && reported <= 65535 ? reported : defaultPort;
  return { nodeName: textAt(node.metadata?.name), host, port };
}

/** host:port for a URL or a Host header (IPv6 in brackets). */
export function hostPort(endpoint: { host: string; port: number }): string {
  return net.isIPv6(endpoint.host)
    ? `[${endpoint.host}]:${endpoint.port}`
    : `${endpoint.host}:${endpoint.port}`;
}
