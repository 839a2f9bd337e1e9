import type http from "node:http";

/** The token of an `Authorization: Bearer <token>` header, as Kubernetes reads it. */
export function bearerToken(req: http.IncomingMessage): string | undefined {
  const header = req.headers.authorization?.trim();
  if (!header) return undefined;
  const parts = header.split(/\s+/);
  if (parts.length < 2 || parts[0].toLowerCase() !== "bearer") return undefined;
  return parts[1] || undefined;
}
