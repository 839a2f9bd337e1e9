import net from "node:net";
import type tls from "node:tls";
import type { NodeEndpoint } from "./node-endpoint.js";
import type { NodeStreamingConfig } from "./node-streaming-config.js";

/**
 * TLS options for a connection to a node's agent: the controller's kubelet client certificate,
 * and the agent's serving certificate verified against --kubelet-certificate-authority when one
 * is configured (its host must match), accepted as is otherwise, as kube-apiserver does.
 */
export function agentTlsOptions(
  config: NodeStreamingConfig,
  endpoint: NodeEndpoint,
  insecureSkipVerify = false,
): tls.ConnectionOptions {
  const verify = config.tls.ca !== undefined && !insecureSkipVerify;
  return {
    host: endpoint.host,
    port: endpoint.port,
    servername: net.isIP(endpoint.host) === 0 ? endpoint.host : undefined,
    cert: config.tls.cert,
    key: config.tls.key,
    ...(verify ? { ca: config.tls.ca } : {}),
    rejectUnauthorized: verify,
    ALPNProtocols: ["http/1.1"],
    minVersion: "TLSv1.2",
  };
}

/** "error dialing backend: …", kube-apiserver's words for an agent it cannot reach. */
export function dialFailure(endpoint: NodeEndpoint, err: unknown): string {
  const why = err instanceof Error ? err.message : String(err);
  return `error dialing backend: node ${endpoint.nodeName} (${endpoint.host}:${endpoint.port}): ${why}`;
}
