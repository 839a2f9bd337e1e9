import { STATUS_CODES, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { asBerthError } from "../../lib/errors.js";

/** A Kubernetes `Status` object, as every failed request and every exec result is reported. */
export interface KubeStatus {
  kind?: "Status";
  apiVersion?: "v1";
  metadata: Record<string, never>;
  status: "Success" | "Failure";
  message?: string;
  reason?: string;
  details?: { name?: string; kind?: string; causes?: { reason?: string; message?: string }[] };
  code?: number;
}

/** An error that answers a request with a Status. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: KubeStatus["details"],
  ) {
    super(message);
    this.name = "StatusError";
  }

  toStatus(): KubeStatus {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export const badRequest = (message: string) => new StatusError(400, "BadRequest", message);

export const notFoundStatus = (message: string, kind: string, name: string) =>
  new StatusError(404, "NotFound", message, { name, kind });

export const unauthorized = () => new StatusError(401, "Unauthorized", "Unauthorized");

export const forbidden = (message: string) => new StatusError(403, "Forbidden", message);

/** Any failure as a StatusError: Berth errors keep their kind's HTTP code and reason. */
export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  const berth = asBerthError(err);
  return new StatusError(berth.httpStatus, berth.httpReason, berth.message);
}

export function sendStatus(res: ServerResponse, err: unknown): void {
  const status = toStatusError(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(status.toStatus());
  res.writeHead(status.code, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** Refuses a WebSocket upgrade with a plain HTTP answer carrying the Status. */
export function refuseUpgrade(socket: Duplex, err: unknown): void {
  const status = toStatusError(err);
  const body = JSON.stringify(status.toStatus());
  socket.end(
    `HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? status.reason}\r\n` +
      "Connection: close\r\nContent-Type: application/json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
