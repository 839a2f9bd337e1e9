import type { Duplex } from "node:stream";
import { SpdyPortForwardSession } from "../../lib/spdy/port-forward-session.js";
import { connectPodPort, type PortConnection } from "../runtime/container/port-forward.js";
import {
  requireSandbox,
  type EndpointContext,
  type SessionContext,
  type StreamSession,
  type StreamTransport,
  type UpgradeEndpoint,
} from "./endpoint-context.js";
import { badRequest } from "./kube-status.js";
import { podPortOpener } from "./pod-port-opener.js";
import type { RemoteChannels } from "./remote-channels.js";
import type { StreamRoute } from "./stream-routes.js";
import { portForwardProtocols } from "./ws-channels.js";

/** The SPDY port-forward protocol; the ports come in each stream's headers. */
export const spdyPortForwardProtocols = ["portforward.k8s.io"];

/**
 * `/portForward/{namespace}/{pod}?port=…`. Over WebSocket, kubelet's v4 framing: two channels
 * per port, data (2i) and error (2i+1), each opened by a frame carrying the port as two bytes,
 * little endian; each port gets one connection to the pod's localhost, for the socket's life,
 * and the socket closes once every connection has. Over SPDY, a connection per request id.
 */
export function portForwardEndpoint(ctx: EndpointContext): UpgradeEndpoint {
  return {
    async prepare(route: StreamRoute, query: URLSearchParams, transport: StreamTransport) {
      if (route.endpoint !== "portForward") throw new Error(`port forward given ${route.endpoint}`);
      const ports = transport === "websocket" ? parsePorts(query) : [];
      const sandbox = await requireSandbox(ctx, route.namespace, route.pod);
      ctx.logger.info("port forward", { pod: `${route.namespace}/${route.pod}`, transport });
      return portForwardSession(ctx, route.pod, sandbox.netnsPath, ports);
    },
  };
}

/**
 * Forwarding to a pod's ports for one client: `ports` are the WebSocket framing's; SPDY names
 * its ports per stream.
 */
export function portForwardSession(
  ctx: SessionContext,
  pod: string,
  netnsPath: string | undefined,
  ports: number[],
): StreamSession {
  return {
    websocketProtocols: portForwardProtocols,
    spdyProtocols: spdyPortForwardProtocols,
    overWebSocket: (channels) => forwardPorts(ctx, channels, pod, netnsPath, ports),
    overSpdy: (socket, head) => forwardSpdy(ctx, socket, head, pod, netnsPath),
  };
}

function forwardSpdy(
  ctx: SessionContext,
  socket: Duplex,
  head: Buffer,
  pod: string,
  netnsPath: string | undefined,
): Promise<void> {
  const session = new SpdyPortForwardSession({
    send: (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    },
    openPort: podPortOpener(pod, netnsPath, ctx.portForwardTools),
    end: () => socket.end(),
    logger: ctx.logger,
  });
  socket.on("data", (chunk: Buffer) => session.receive(chunk));
  socket.on("error", () => socket.destroy());
  if (head.length > 0) session.receive(head);
  return new Promise((resolve) =>
    socket.once("close", () => {
      session.close();
      resolve();
    }),
  );
}

/** The `port` parameters: repeated and/or comma-separated, each 1–65535. */
export function parsePorts(query: URLSearchParams): number[] {
  const values = query.getAll("port");
  if (values.length === 0) throw badRequest('query parameter "port" is required');
  return values.flatMap((value) => {
    if (value === "") throw badRequest('query parameter "port" cannot be empty');
    return value.split(",").map((text) => {
      const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!(port >= 1 && port <= 65535)) {
        throw badRequest(`query parameter "port": ${JSON.stringify(text)} is not a port (1-65535)`);
      }
      return port;
    });
  });
}

async function forwardPorts(
  ctx: SessionContext,
  socket: RemoteChannels,
  pod: string,
  netnsPath: string | undefined,
  ports: number[],
): Promise<void> {
  // Connections first, so data the client sends right away has somewhere to go.
  const connections: PortConnection[] = ports.map((port) =>
    connectPodPort(netnsPath, port, ctx.portForwardTools),
  );
  socket.onFrame((frame) => {
    if (frame.kind !== "data" || frame.channel % 2 !== 0) return;
    const connection = connections[frame.channel / 2];
    if (connection?.input.writable) connection.input.write(frame.data);
  });
  const forwards = connections.map(async (connection, i) => {
    const header = Buffer.alloc(2);
    header.writeUInt16LE(ports[i]!);
    await socket.send(2 * i, header);
    await socket.send(2 * i + 1, header);
    try {
      await Promise.all([socket.relay(connection.output, 2 * i), connection.closed]);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      const message = `error forwarding port ${ports[i]} to pod ${pod}: ${why}`;
      await socket.send(2 * i + 1, Buffer.from(message));
    }
  });
  void socket.closed.then(() => connections.forEach((c) => c.close()));
  await Promise.all(forwards);
  socket.close();
}
