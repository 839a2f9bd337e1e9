import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { attachSession } from "../../streaming/attach-endpoint.js";
import type {
  SessionContext,
  StreamSession,
  StreamTransport,
} from "../../streaming/endpoint-context.js";
import { execSession } from "../../streaming/exec-endpoint.js";
import { badRequest, refuseUpgrade, sendStatus, StatusError } from "../../streaming/kube-status.js";
import { portForwardSession } from "../../streaming/port-forward-endpoint.js";
import { requestedTransport, SessionUpgrader } from "../../streaming/session-upgrader.js";
import type { CriStreaming, CriStreamRequest } from "./cri-stream-request.js";
import { RequestCache } from "./request-cache.js";

export interface CriStreamingServer extends CriStreaming {
  /** Starts listening; the URLs handed out name this address and port. */
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops listening and ends every stream. */
  close(): Promise<void>;
}

const paths = /^\/(exec|attach|portforward)\/([A-Za-z0-9_-]+)$/;

/**
 * The runtime's streaming server, as containerd's and CRI-O's: Exec, Attach and PortForward
 * answer with a URL here carrying a one-time token, and the client (kubelet, crictl) upgrades
 * it to SPDY/3.1 or a WebSocket. Plain HTTP: it listens on loopback unless told otherwise, and
 * the token is the only credential, as in those runtimes.
 */
export function createCriStreamingServer(ctx: SessionContext): CriStreamingServer {
  const cache = new RequestCache<CriStreamRequest>();
  const upgrader = new SessionUpgrader(ctx.logger);
  const server = http.createServer();
  let base = "";

  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const match = paths.exec(new URL(req.url ?? "/", "http://runtime").pathname);
    if (!match) throw notFound();
    const transport = requestedTransport(req);
    const request = cache.consume(match[2]!);
    if (!request || request.kind !== match[1]) throw notFound();
    upgrader.upgrade(req, socket, head, sessionFor(ctx, request, transport), transport);
  };

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    try {
      handleUpgrade(req, socket, head);
    } catch (err) {
      refuseUpgrade(socket, err);
    }
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const known = paths.test(new URL(req.url ?? "/", "http://runtime").pathname);
    sendStatus(
      res,
      known ? badRequest("Upgrade request required (SPDY/3.1 or websocket)") : notFound(),
    );
  });

  return {
    url(request) {
      if (!base) throw new Error("the CRI streaming server is not listening");
      return `${base}/${request.kind}/${cache.insert(request)}`;
    },
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          base = `http://${urlHost(host)}:${address.port}`;
          resolve(address);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        upgrader.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function sessionFor(
  ctx: SessionContext,
  request: CriStreamRequest,
  transport: StreamTransport,
): StreamSession {
  switch (request.kind) {
    case "exec":
      return execSession(ctx, request.containerId, request.cmd, request.options);
    case "attach":
      return attachSession(ctx, request.target, request.options);
    case "portforward":
      if (transport === "websocket" && request.ports.length === 0) {
        throw badRequest("the PortForward request named no ports to forward over a websocket");
      }
      return portForwardSession(ctx, request.sandboxId, request.netnsPath, request.ports);
  }
}

/** The host part of the URLs: a wildcard listen address is reached on loopback. */
function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

const notFound = () => new StatusError(404, "NotFound", "token not found or expired");
