import type http from "node:http";
import type { ApiError } from "./status.js";

export const jsonType = "application/json";

/** Writes a JSON answer (objects, lists, Status). */
export function sendJson(
  res: http.ServerResponse,
  code: number,
  body: unknown,
  contentType = jsonType,
): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-cache, private",
  });
  res.end(text);
}

/** Writes a failure as a Status object, unless the answer already started. */
export function sendError(res: http.ServerResponse, err: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, err.code, err.toStatus());
}

/** `Warning: 299 - "…"` headers, which kubectl prints as `Warning: …`. */
export function addWarnings(res: http.ServerResponse, warnings: string[]): void {
  if (warnings.length === 0) return;
  res.setHeader(
    "warning",
    warnings.map((w) => `299 - ${JSON.stringify(w)}`),
  );
}
