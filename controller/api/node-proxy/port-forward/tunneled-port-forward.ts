import type http from "node:http";
import { WebSocketServer, type RawData } from "ws";
import type { Logger } from "../../../../lib/logger.js";
import type { NodeEndpoint } from "../node-endpoint.js";
import type { NodeStreamingConfig } from "../node-streaming-config.js";
import type { UpgradeConnection } from "../upgrade-listener.js";
import { openAgentPort } from "./agent-port-connection.js";
import { SpdyPortForwardSession } from "../../../../lib/spdy/port-forward-session.js";

/** kubectl 1.31+ asks for SPDY port forwarding tunneled through a WebSocket by this subprotocol. */
export const tunneledPortForwardProtocol = "SPDY/3.1+portforward.k8s.io";

export interface TunneledPortForwardRequest {
  config: NodeStreamingConfig;
  endpoint: NodeEndpoint;
  /** The agent path without its query: /portForward/{namespace}/{pod} */
  path: string;
  req: http.IncomingMessage;
  res: http.ServerResponse;
  upgrade: UpgradeConnection;
  logger: Logger;
}

/**
 * Accepts the client's WebSocket and serves the SPDY port-forward protocol inside it, as
 * kube-apiserver's tunneling handler does — except that instead of passing SPDY on to a kubelet,
 * each forwarded connection becomes a WebSocket port forward on the node's agent, which speaks
 * only that. Resolves when the client's connection closes.
 */
export function serveTunneledPortForward(request: TunneledPortForwardRequest): Promise<void> {
  const { config, endpoint, logger } = request;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  // "SPDY/3.1+portforward.k8s.io" is not an RFC 7230 token ('/'), which ws refuses in the offer:
  // the offer is taken out before the handshake, and the answer names it again.
  delete request.req.headers["sec-websocket-protocol"];
  wss.on("headers", (headers) =>
    headers.push(`Sec-WebSocket-Protocol: ${tunneledPortForwardProtocol}`),
  );
  return new Promise((resolve) => {
    request.upgrade.socket.once("close", () => resolve());
    wss.handleUpgrade(request.req, request.upgrade.socket, request.upgrade.head, (ws) => {
      request.res.statusCode = 101;
      const session = new SpdyPortForwardSession({
        send: (bytes) => ws.send(bytes, { binary: true }),
        openPort: (port, events) =>
          openAgentPort(config, endpoint, `${request.path}?port=${port}`, events),
        end: () => ws.close(1000),
        logger,
      });
      ws.on("message", (data: RawData, isBinary) => {
        if (!isBinary) return ws.close(1003, "the SPDY tunnel carries binary messages only");
        session.receive(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer));
      });
      ws.on("error", () => ws.terminate());
      ws.once("close", () => {
        session.close();
        resolve();
      });
    });
  });
}
