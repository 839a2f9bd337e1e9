import type http from "node:http";
import { hostPort, type NodeEndpoint } from "./node-endpoint.js";

// What of the client's request reaches the agent: the protocol negotiation, nothing else. The
// client's credentials (Authorization, impersonation) stay with the controller, which has already
// checked them; the agent trusts the controller's certificate instead.
const forwarded = new Set([
  "upgrade",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-protocol",
  "sec-websocket-extensions",
  "x-stream-protocol-version",
  "user-agent",
]);

/** The request head to send the agent for the client's upgrade request. */
export function agentUpgradeRequest(
  client: http.IncomingMessage,
  endpoint: NodeEndpoint,
  pathAndQuery: string,
): string {
  const lines = [
    `${client.method ?? "GET"} ${pathAndQuery} HTTP/1.1`,
    `Host: ${hostPort(endpoint)}`,
  ];
  const raw = client.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (forwarded.has(name.toLowerCase())) lines.push(`${name}: ${clean(raw[i + 1]!)}`);
  }
  lines.push("Connection: Upgrade");
  if (client.method === "POST" || client.method === "PUT") lines.push("Content-Length: 0");
  return lines.join("\r\n") + "\r\n\r\n";
}

// Node already refuses header values with CR or LF; this keeps the request well-formed regardless.
function clean(value: string): string {
  return value.replace(/[\r\n]/g, " ");
}
