import http from "node:http";
import https from "node:https";
import { errnoCode } from "../../../lib/errors.js";
import { dialErrorMessage } from "./dial-error.js";

export interface HttpGetRequest {
  url: URL;
  /** Header name → its values, sent as written (a "Host" entry replaces the URL's host). */
  headers: Record<string, string[]>;
}

export interface HttpGetResponse {
  statusCode: number;
  /** The first maxBodyBytes of the body. */
  body: string;
}

/** A failed GET, worded as Go's client ("Get \"http://…\": dial tcp …"), with the cause's errno code. */
export class HttpGetError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "HttpGetError";
  }
}

/** kubelet reads no more of a probe's or hook's answer than this. */
export const maxBodyBytes = 10 * 1024;
const maxRedirects = 10;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * A GET as kubelet's probe client makes it: its own connection (no keep-alive, no proxy), no
 * certificate verification, the whole exchange — redirects and body — within `timeoutMs` (0: no
 * limit). Redirects are followed to the same host name only (at most 10); a redirect elsewhere is
 * answered as it is, for the caller to judge.
 */
export async function httpGet(req: HttpGetRequest, timeoutMs: number): Promise<HttpGetResponse> {
  const abort = new AbortController();
  const timer = timeoutMs > 0 ? setTimeout(() => abort.abort(), timeoutMs) : undefined;
  let url = req.url;
  try {
    for (let redirects = 0; ;) {
      const res = await send(url, req.headers, abort.signal);
      const location = res.headers.location;
      const next =
        redirectStatuses.has(res.statusCode ?? 0) && location ? new URL(location, url) : undefined;
      if (!next || next.hostname !== req.url.hostname) {
        return { statusCode: res.statusCode ?? 0, body: await readBody(res, url, abort.signal) };
      }
      res.destroy();
      redirects++;
      if (redirects >= maxRedirects) {
        throw failure(next, `stopped after ${maxRedirects} redirects`);
      }
      url = next;
    }
  } finally {
    clearTimeout(timer);
  }
}

function send(
  url: URL,
  headers: Record<string, string[]>,
  signal: AbortSignal,
): Promise<http.IncomingMessage> {
  const options: https.RequestOptions = {
    method: "GET",
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, values]) =>
        values.length === 1 || name.toLowerCase() === "host" ? [name, values[0]] : [name, values],
      ),
    ),
    agent: false,
    signal,
    ...(url.protocol === "https:" ? { rejectUnauthorized: false } : {}),
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, options, resolve);
    request.on("error", (err) => {
      if (signal.aborted) {
        reject(
          failure(
            url,
            "context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
          ),
        );
      } else {
        reject(failure(url, dialErrorMessage(err, hostPort(url)), errnoCode(err)));
      }
    });
    request.end();
  });
}

function readBody(res: http.IncomingMessage, url: URL, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(Buffer.concat(chunks).subarray(0, maxBodyBytes).toString("utf8"));
    res.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= maxBodyBytes) {
        res.destroy();
        done();
      }
    });
    res.on("end", done);
    const fail = (err?: Error) => {
      if (size >= maxBodyBytes) return;
      const reason = signal.aborted
        ? "context deadline exceeded (Client.Timeout or context cancellation while reading body)"
        : (err?.message ?? "unexpected EOF");
      reject(failure(url, reason, err && errnoCode(err)));
    };
    res.on("error", fail);
    res.on("close", () => {
      if (!res.complete) fail();
    });
  });
}

function failure(url: URL, reason: string, code?: string): HttpGetError {
  return new HttpGetError(
    `Get "${url.protocol}//${hostPort(url)}${url.pathname}${url.search}": ${reason}`,
    code,
  );
}

/** host:port with the port always written (the URL API drops a scheme's default one). */
export function hostPort(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
}
