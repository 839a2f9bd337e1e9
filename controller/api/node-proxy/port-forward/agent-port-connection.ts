import WebSocket from "ws";
import type {
  ForwardedPort,
  ForwardedPortEvents,
} from "../../../../lib/spdy/port-forward-session.js";
import { agentTlsOptions } from "../agent-tls.js";
import { hostPort, type NodeEndpoint } from "../node-endpoint.js";
import type { NodeStreamingConfig } from "../node-streaming-config.js";

const protocol = "v4.channel.k8s.io";
const maxRefusalBody = 16 * 1024;

/**
 * Opens `/portForward/{namespace}/{pod}?port=N` on the node's agent with the controller's client
 * certificate, speaking kubelet's v4 framing: channel 0 carries the data and channel 1 the
 * errors, each opened by a 2-byte frame naming the port, which is not passed on.
 */
export function openAgentPort(
  config: NodeStreamingConfig,
  endpoint: NodeEndpoint,
  path: string,
  events: ForwardedPortEvents,
): ForwardedPort {
  const tls = agentTlsOptions(config, endpoint);
  const ws = new WebSocket(`wss://${hostPort(endpoint)}${path}`, [protocol], {
    cert: tls.cert,
    key: tls.key,
    ca: tls.ca,
    rejectUnauthorized: tls.rejectUnauthorized,
    handshakeTimeout: config.dialTimeoutMs,
    perMessageDeflate: false,
  });
  const pending: Buffer[] = [];
  let closing = false;
  let over = false;
  let refused = false;
  const headerLeft = [2, 2];
  const finish = () => {
    if (over) return;
    over = true;
    events.closed();
  };

  ws.on("open", () => {
    for (const chunk of pending.splice(0)) ws.send(Buffer.concat([Buffer.from([0]), chunk]));
    if (closing) ws.close(1000);
  });
  ws.on("message", (message: Buffer) => {
    const channel = message[0];
    if (channel !== 0 && channel !== 1) return;
    let data = message.subarray(1);
    const skip = Math.min(headerLeft[channel]!, data.length);
    headerLeft[channel]! -= skip;
    data = data.subarray(skip);
    if (data.length === 0) return;
    if (channel === 0) events.data(data);
    else events.error(data.toString("utf8"));
  });
  ws.on("unexpected-response", (_req, res) => {
    let body = "";
    res.on("data", (chunk: Buffer) => {
      if (body.length < maxRefusalBody) body += chunk.toString("utf8");
    });
    res.on("end", () => {
      refused = true;
      events.error(refusalMessage(res.statusCode ?? 0, body));
      ws.terminate();
      finish();
    });
  });
  ws.on("error", (err) => {
    if (!refused) events.error(`error dialing backend: ${err.message}`);
    finish();
  });
  ws.on("close", () => finish());

  return {
    send(chunk) {
      if (over || closing) return;
      if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat([Buffer.from([0]), chunk]));
      else pending.push(chunk);
    },
    close() {
      closing = true;
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
    },
  };
}

// The agent refuses with a Status; its message is what the user needs to see.
function refusalMessage(code: number, body: string): string {
  try {
    const status = JSON.parse(body) as { message?: unknown };
    if (typeof status.message === "string") return status.message;
  } catch {
    // not a Status
  }
  return `the node's agent answered HTTP ${code}${body.trim() ? `: ${body.trim()}` : ""}`;
}
