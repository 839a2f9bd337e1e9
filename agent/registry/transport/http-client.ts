import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import tls from "node:tls";
import { errnoCode, unavailable, type BerthError } from "../../../lib/errors.js";

export interface TlsSettings {
  /** PEM CA certificates trusted in addition to the system ones. */
  ca: string[];
  skipVerify: boolean;
}

export interface HttpSend {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer | (() => Readable);
  tls: TlsSettings;
  /** Whom to name in errors (a registry host, a token realm's host). */
  name: string;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: http.IncomingMessage;
}

export interface HttpClientOptions {
  /** Until the response headers arrive. */
  requestTimeoutMs: number;
  /** Longest silence while a response body streams. */
  idleTimeoutMs: number;
  userAgent: string;
}

/** Sends single HTTP(S) requests over keep-alive connections; network failures become Unavailable. */
export class HttpClient {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  private readonly httpsAgents = new Map<string, https.Agent>();

  constructor(private readonly options: HttpClientOptions) {}

  async send(req: HttpSend): Promise<HttpAnswer> {
    try {
      return await this.sendOnce(req);
    } catch (err) {
      // A kept-alive connection the server already closed: safe to retry idempotent requests.
      const code = errnoCode((err as { cause?: unknown }).cause);
      const idempotent = req.method === "GET" || req.method === "HEAD";
      if (idempotent && (code === "ECONNRESET" || code === "EPIPE")) return this.sendOnce(req);
      throw err;
    }
  }

  close(): void {
    this.httpAgent.destroy();
    for (const agent of this.httpsAgents.values()) agent.destroy();
    this.httpsAgents.clear();
  }

  private sendOnce(req: HttpSend): Promise<HttpAnswer> {
    const { requestTimeoutMs, idleTimeoutMs } = this.options;
    const isHttps = req.url.protocol === "https:";
    const headers: Record<string, string> = {
      "user-agent": this.options.userAgent,
      ...req.headers,
    };
    if (Buffer.isBuffer(req.body)) headers["content-length"] = String(req.body.length);
    return new Promise((resolve, reject) => {
      const fail = (err: unknown) => reject(networkError(req, err));
      const request = (isHttps ? https : http).request(req.url, {
        method: req.method,
        headers,
        agent: isHttps ? this.httpsAgent(req.tls) : this.httpAgent,
      });
      let response: http.IncomingMessage | undefined;
      // One socket timer: first the wait for headers, then the longest silence in the body.
      request.setTimeout(requestTimeoutMs, () => {
        if (response) response.destroy(timeoutError(req, "stalled"));
        else request.destroy(timeoutError(req, "timed out"));
      });
      request.on("error", (err) => {
        if (!response) fail(err);
      });
      request.on("response", (res) => {
        response = res;
        res.socket.setTimeout(idleTimeoutMs);
        res.once("close", () => res.socket?.setTimeout(0));
        resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body: res });
      });
      writeBody(request, req.body, () => response !== undefined);
    });
  }

  private httpsAgent(settings: TlsSettings): https.Agent {
    const key = `${settings.skipVerify}\0${settings.ca.join("\0")}`;
    let agent = this.httpsAgents.get(key);
    if (!agent) {
      agent = new https.Agent({
        keepAlive: true,
        maxSockets: 32,
        rejectUnauthorized: !settings.skipVerify,
        // `ca` replaces Node's default roots, so it always carries the system ones too.
        ca: [...systemCas(), ...settings.ca],
      });
      this.httpsAgents.set(key, agent);
    }
    return agent;
  }
}

/** Debian's bundle, where locally added CAs (update-ca-certificates) land. */
const systemBundle = "/etc/ssl/certs/ca-certificates.crt";
let trusted: string[] | undefined;

/** Node's bundled roots plus the system's bundle, as Docker trusts the system pool. */
function systemCas(): string[] {
  if (!trusted) {
    trusted = [...tls.rootCertificates];
    try {
      trusted.push(readFileSync(systemBundle, "utf8"));
    } catch {
      // no system bundle: Node's roots alone
    }
  }
  return trusted;
}

function writeBody(
  request: http.ClientRequest,
  body: HttpSend["body"],
  answered: () => boolean,
): void {
  if (body === undefined) {
    request.end();
  } else if (Buffer.isBuffer(body)) {
    request.end(body);
  } else {
    const source = body();
    source.on("error", (err) => request.destroy(err));
    // The server may answer (401, 413…) before taking the whole body; stop sending then.
    request.on("response", () => source.unpipe(request));
    source.pipe(request);
    request.on("close", () => {
      if (answered()) source.destroy();
    });
  }
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

const connectionErrors = new WeakSet<object>();

/** True for errors that mean the server could not be talked to (no HTTP answer at all). */
export function isConnectionError(err: unknown): boolean {
  return typeof err === "object" && err !== null && connectionErrors.has(err);
}

function timeoutError(req: HttpSend, how: string): BerthError {
  const err = unavailable(`registry ${req.name}: ${req.method} ${req.url.pathname}: ${how}`);
  connectionErrors.add(err);
  return err;
}

function networkError(req: HttpSend, err: unknown): BerthError {
  if (isConnectionError(err)) return err as BerthError;
  const code = errnoCode(err);
  const what = err instanceof Error ? err.message : String(err);
  const scheme = req.url.protocol.replace(":", "");
  const detail =
    code !== undefined && /CERT|SIGNATURE|ISSUER|ALTNAME/.test(code)
      ? `TLS certificate not trusted (${code}); add its CA (hosts.toml ca) or mark it insecure`
      : (code ?? what);
  const wrapped = unavailable(`registry ${req.name} unreachable over ${scheme}: ${detail}`, {
    cause: err,
  });
  connectionErrors.add(wrapped);
  return wrapped;
}
