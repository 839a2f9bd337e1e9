import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { Logger } from "../../lib/logger.js";
import {
  isSpdyUpgrade,
  negotiateStreamProtocol,
  negotiationFailure,
  offeredStreamProtocols,
  spdyUpgradeAnswer,
} from "../../lib/spdy/upgrade.js";
import { ChannelSocket } from "./channel-socket.js";
import type { StreamSession, StreamTransport } from "./endpoint-context.js";
import { badRequest, StatusError } from "./kube-status.js";
import { offeredProtocols, selectProtocol } from "./ws-channels.js";

/** The transport an upgrade request asks for; a 400 Status for any other upgrade. */
export function requestedTransport(req: IncomingMessage): StreamTransport {
  if (req.headers.upgrade?.toLowerCase() === "websocket") return "websocket";
  if (isSpdyUpgrade(req.headers)) return "spdy";
  throw badRequest(
    `unsupported upgrade ${JSON.stringify(req.headers.upgrade)}: only websocket and SPDY/3.1`,
  );
}

/**
 * Completes upgrades into streaming sessions, the way kubelet's streaming servers do: the
 * subprotocol (Sec-WebSocket-Protocol, or X-Stream-Protocol-Version for SPDY) is agreed before
 * anything is written, so a mismatch still answers with a plain HTTP Status.
 */
export class SessionUpgrader {
  private readonly chosen = new WeakMap<IncomingMessage, string>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (_offered, req) => this.chosen.get(req) ?? false,
  });
  private readonly spdySockets = new Set<Duplex>();

  constructor(private readonly logger: Logger) {}

  upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    session: StreamSession,
    transport: StreamTransport,
  ): void {
    if (transport === "spdy") return this.upgradeSpdy(req, socket, head, session);
    const offered = offeredProtocols(req.headers["sec-websocket-protocol"]);
    const protocol = selectProtocol(offered, [...session.websocketProtocols]);
    if (!protocol) {
      throw badRequest(
        `requested protocol(s) are not supported: [${offered.join(" ")}]; supports [${session.websocketProtocols.join(" ")}]`,
      );
    }
    this.chosen.set(req, protocol.name);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const channels = new ChannelSocket(ws, protocol);
      session.overWebSocket(channels).catch((err: unknown) => {
        this.failed(req, err);
        channels.close(1011, "internal error");
      });
    });
  }

  /** Ends every session. */
  closeAll(): void {
    for (const ws of this.wss.clients) ws.terminate();
    for (const socket of this.spdySockets) socket.destroy();
  }

  private upgradeSpdy(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    session: StreamSession,
  ): void {
    const offered = offeredStreamProtocols(req.headers);
    const protocol = negotiateStreamProtocol(offered, session.spdyProtocols);
    if (protocol === undefined) {
      throw new StatusError(403, "Forbidden", negotiationFailure(offered, session.spdyProtocols));
    }
    socket.write(spdyUpgradeAnswer(protocol));
    this.spdySockets.add(socket);
    socket.once("close", () => this.spdySockets.delete(socket));
    session.overSpdy(socket, head, protocol).catch((err: unknown) => {
      this.failed(req, err);
      socket.destroy();
    });
  }

  private failed(req: IncomingMessage, err: unknown): void {
    this.logger.error("stream failed", {
      path: req.url?.replace(/\?.*/, ""),
      error: err instanceof Error ? err.message : String(err),
    });
  }
}
