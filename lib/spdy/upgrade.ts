import type { IncomingHttpHeaders } from "node:http";
import type { Duplex } from "node:stream";
import { SpdyConnection } from "./connection.js";

/** The Upgrade token of Kubernetes' SPDY streaming (exec, attach, port forward). */
export const spdyUpgrade = "SPDY/3.1";
export const streamProtocolHeader = "X-Stream-Protocol-Version";

export function isSpdyUpgrade(headers: IncomingHttpHeaders): boolean {
  return headers.upgrade?.toLowerCase() === spdyUpgrade.toLowerCase();
}

/** The protocols a client offered in its X-Stream-Protocol-Version header(s), in its order. */
export function offeredStreamProtocols(headers: IncomingHttpHeaders): string[] {
  const raw = headers[streamProtocolHeader.toLowerCase()];
  return [raw ?? []]
    .flat()
    .flatMap((h) => h.split(","))
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

/**
 * apimachinery's httpstream.Handshake: the first protocol the client offered that the server
 * supports; "" when the client offered none (the oldest, unversioned protocol); undefined when
 * nothing matches.
 */
export function negotiateStreamProtocol(
  offered: string[],
  supported: readonly string[],
): string | undefined {
  if (offered.length === 0) return "";
  return offered.find((p) => supported.includes(p));
}

/** Why negotiation failed, worded as kubelet words it (the client prints it). */
export function negotiationFailure(offered: string[], supported: readonly string[]): string {
  return (
    `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(" ")}], ` +
    `server supports [${supported.join(" ")}]`
  );
}

/** The 101 that accepts a SPDY upgrade, naming the negotiated protocol (if any). */
export function spdyUpgradeAnswer(protocol: string): string {
  return (
    "HTTP/1.1 101 Switching Protocols\r\n" +
    "Connection: Upgrade\r\n" +
    `Upgrade: ${spdyUpgrade}\r\n` +
    (protocol ? `${streamProtocolHeader}: ${protocol}\r\n` : "") +
    "\r\n"
  );
}

/** Answers 101 on an upgraded socket and starts the server side of the SPDY session. */
export function acceptSpdy(socket: Duplex, head: Buffer, protocol: string): SpdyConnection {
  socket.write(spdyUpgradeAnswer(protocol));
  return new SpdyConnection(socket, "server", head);
}
