import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { deadlineExceeded, internal, unavailable, type BerthError } from "../../lib/errors.js";
import { kubeApiError } from "./kube-errors.js";

/** Query parameters; undefined and "" values are left out. */
export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestTarget {
  url: URL;
  method: string;
  /** The API path, for messages (never the query, never headers: those may hold secrets). */
  path: string;
  agent: http.Agent;
  headers: Record<string, string>;
}

export interface SendOptions {
  body?: unknown;
  contentType?: string;
  /** Deadline for the whole exchange, or (stream) until the response headers arrive. */
  timeoutMs: number;
  /** Stream only: the answer ends with an error after this long without data. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  /** Resolve with the response itself instead of its parsed JSON body. */
  stream: boolean;
}

/**
 * One HTTP exchange with the API server: JSON in, parsed JSON (or the live response) out; a
 * non-2xx answer rejects with its KubeApiError, a dead connection with Unavailable, a deadline
 * with DeadlineExceeded.
 */
export function sendRequest(
  target: RequestTarget,
  options: SendOptions,
): Promise<unknown | IncomingMessage> {
  const { method, path } = target;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const transport = target.url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    let failure: BerthError | undefined;
    const fail = (err: BerthError) => {
      failure ??= err;
      req.destroy(err);
    };
    const req = transport.request(target.url, {
      method,
      agent: target.agent,
      signal: options.signal,
      headers: {
        ...target.headers,
        accept: "application/json",
        ...(payload === undefined
          ? {}
          : {
              "content-type": options.contentType ?? "application/json",
              "content-length": String(Buffer.byteLength(payload)),
            }),
      },
    });
    const deadline = setTimeout(
      () => fail(deadlineExceeded(`${method} ${path}: no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    const broken = (err: Error) => {
      clearTimeout(deadline);
      if (failure) return reject(failure);
      const why = err.name === "AbortError" ? "request cancelled" : err.message;
      reject(unavailable(`${method} ${path}: ${why}`, { cause: err }));
    };
    req.on("error", broken);
    req.on("response", (res) => {
      const code = res.statusCode ?? 0;
      if (options.stream && code >= 200 && code < 300) {
        clearTimeout(deadline);
        if (options.idleTimeoutMs) {
          req.setTimeout(options.idleTimeoutMs, () =>
            res.destroy(
              deadlineExceeded(`${method} ${path}: silent for ${options.idleTimeoutMs} ms`),
            ),
          );
        }
        return resolve(res);
      }
      const chunks: Buffer[] = [];
      res.on("data", (b: Buffer) => chunks.push(b));
      res.on("error", broken);
      res.on("end", () => {
        clearTimeout(deadline);
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = text;
        try {
          body = text === "" ? undefined : JSON.parse(text);
        } catch {
          if (code >= 200 && code < 300) {
            return reject(internal(`${method} ${path}: the answer is not JSON`));
          }
        }
        if (code >= 200 && code < 300) resolve(body);
        else reject(kubeApiError(method, path, code, body));
      });
    });
    req.end(payload);
  });
}
