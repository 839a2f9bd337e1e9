import { badRequest } from "../status.js";
import { flagValue, integerValue } from "./query-values.js";

export type ConnectSubresource = "exec" | "attach" | "portforward";

export const connectSubresources: readonly string[] = ["exec", "attach", "portforward"];

/** A pods/exec|attach|portforward request's options, as the agent is asked for them. */
export interface ConnectRequest {
  /** The container named by the client ("" when none); undefined for port forwarding. */
  container?: string;
  /** The agent's query, rebuilt as kube-apiserver's streamParams builds the kubelet's. */
  agentQuery: URLSearchParams;
}

/**
 * PodExecOptions, PodAttachOptions or PodPortForwardOptions from the request's query. The agent
 * checks what only it can (a command is given, at least one stream, the port is open).
 */
export function parseConnectOptions(
  subresource: ConnectSubresource,
  query: URLSearchParams,
): ConnectRequest {
  const agentQuery = new URLSearchParams();
  if (subresource === "portforward") {
    for (const text of query.getAll("ports")) {
      agentQuery.append("port", String(portValue(text)));
    }
    return { agentQuery };
  }
  for (const stream of ["stdin", "stdout", "stderr", "tty"]) {
    if (flagValue(query, stream)) agentQuery.set(stream, "1");
  }
  if (subresource === "exec") {
    for (const word of query.getAll("command")) agentQuery.append("command", word);
  }
  return { container: query.get("container") ?? "", agentQuery };
}

function portValue(text: string): number {
  const port = integerValue(new URLSearchParams({ ports: text }), "ports");
  if (port === undefined || port < 1 || port > 65535) {
    throw badRequest(`ports: ${JSON.stringify(text)} is not a port number (1-65535)`);
  }
  return port;
}
