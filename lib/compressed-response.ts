import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";

const gzip = promisify(zlib.gzip);

/** Smaller answers go out as they are: compressing them costs more than it saves. */
export const minCompressedBytes = 16 * 1024;

/** Whether the client accepts gzip (Accept-Encoding lists it without q=0). */
export function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers["accept-encoding"];
  if (!header) return false;
  return header.split(",").some((part) => {
    const [coding, ...params] = part.trim().split(";");
    if (coding?.trim().toLowerCase() !== "gzip") return false;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    return q === undefined || Number(q) > 0;
  });
}

/**
 * Sends a 200 with this body, gzipped when the client accepts it and it is large, as
 * client_golang's promhttp and kube-apiserver do. Fast compression, off the event loop: a
 * scrape's text is regenerated every time, so CPU matters more than the last bytes.
 */
export async function sendMaybeCompressed(
  req: IncomingMessage,
  res: ServerResponse,
  contentType: string,
  body: string | Buffer,
): Promise<void> {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const headers: Record<string, string | number> = {
    "Content-Type": contentType,
    Vary: "Accept-Encoding",
  };
  if (bytes.length >= minCompressedBytes && acceptsGzip(req)) {
    const compressed = await gzip(bytes, { level: zlib.constants.Z_BEST_SPEED });
    res.writeHead(200, {
      ...headers,
      "Content-Encoding": "gzip",
      "Content-Length": compressed.length,
    });
    res.end(compressed);
    return;
  }
  res.writeHead(200, { ...headers, "Content-Length": bytes.length }).end(bytes);
}
