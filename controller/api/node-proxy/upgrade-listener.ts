import http from "node:http";
import type { Duplex } from "node:stream";

/** The connection of an HTTP upgrade request, handed over by the server's 'upgrade' event. */
export interface UpgradeConnection {
  socket: Duplex;
  /** Bytes the client sent after the request head (usually none: it waits for the 101). */
  head: Buffer;
}

export type UpgradeAwareHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  upgrade?: UpgradeConnection,
) => void;

/**
 * The server's 'upgrade' listener: an upgrade request goes through the same handler as every
 * request (authentication, authorization, routing, Status errors), with an ordinary response
 * on its socket for answers that are not an upgrade, and the socket itself for the handler
 * that proxies the upgrade. Node emits 'upgrade' only while a listener exists; without one,
 * such requests reached the request handler as plain requests.
 */
export function upgradeListener(handler: UpgradeAwareHandler) {
  return (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on("error", () => socket.destroy());
    const res = new http.ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as unknown as import("node:net").Socket);
    // No HTTP parser owns this socket any more: an answer that is not an upgrade ends it.
    res.once("finish", () => socket.end());
    handler(req, res, { socket, head });
  };
}
