import http from "node:http";
import https from "node:https";
import { SpdyConnection } from "./connection.js";
import { spdyUpgrade, streamProtocolHeader } from "./upgrade.js";

export interface SpdyDialOptions {
  /** Offered in X-Stream-Protocol-Version, preferred first. */
  protocols: string[];
  /** For https: URLs: CA, client certificate and key (PEM). */
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean };
  timeoutMs?: number;
}

export interface SpdyDialed {
  connection: SpdyConnection;
  /** The protocol the server chose ("" when it named none). */
  protocol: string;
}

const maxRefusalBytes = 64 * 1024;

/**
 * The client side of Kubernetes' SPDY streaming: POST with `Upgrade: SPDY/3.1`, as client-go's
 * SPDY round tripper does; a refusal rejects with the server's message (a Status's message
 * when the body is one).
 */
export function dialSpdy(url: string, options: SpdyDialOptions): Promise<SpdyDialed> {
  const target = new URL(url);
  const transport = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(target, {
      method: "POST",
      headers: {
        Connection: "Upgrade",
        Upgrade: spdyUpgrade,
        // One header line per protocol, as client-go sends them: a Go server matches each
        // value whole, so a comma-joined list would match nothing.
        ...(options.protocols.length > 0 ? { [streamProtocolHeader]: options.protocols } : {}),
      },
      ...(target.protocol === "https:" ? options.tls : {}),
      timeout: options.timeoutMs ?? 30_000,
    });
    req.once("timeout", () => req.destroy(new Error(`no answer from ${target.host}`)));
    req.once("error", reject);
    req.once("upgrade", (res, socket, head) => {
      const chosen = res.headers[streamProtocolHeader.toLowerCase()];
      const protocol = (Array.isArray(chosen) ? chosen[0] : chosen) ?? "";
      if (protocol !== "" && !options.protocols.includes(protocol)) {
        socket.destroy();
        reject(new Error(`the server chose protocol ${protocol}, which was not offered`));
        return;
      }
      socket.setTimeout(0);
      resolve({ connection: new SpdyConnection(socket, "client", head), protocol });
    });
    req.once("response", (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => {
        if (body.length < maxRefusalBytes) body += chunk.toString("utf8");
      });
      res.once("end", () => reject(new Error(refusalMessage(res.statusCode ?? 0, body))));
      res.once("error", reject);
    });
    req.end();
  });
}

function refusalMessage(code: number, body: string): string {
  try {
    const status = JSON.parse(body) as { message?: unknown };
    if (typeof status.message === "string") return status.message;
  } catch {
    // not a Status
  }
  const text = body.trim();
  return `the server refused the upgrade (HTTP ${code})${text ? `: ${text}` : ""}`;
}
