import https from "node:https";
import { setTimeout as sleep } from "node:timers/promises";

/** TLS material for the controller: PEM text or buffers. */
export interface SimTls {
  ca: string | Buffer;
  cert: string | Buffer;
  key: string | Buffer;
}

export interface SimAnswer {
  status: number;
  // The parsed JSON body (a Kubernetes object or Status), or the raw text when it is not JSON.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface SimRequestOptions {
  /** Content-Type of the body (default application/json). */
  contentType?: string;
  /** Heartbeats go first so a flood of pod updates cannot make nodes look dead. */
  priority?: "high" | "normal";
}

/** Thrown once the client is closed, to every request still waiting for a slot. */
export class SimClientClosedError extends Error {
  constructor() {
    super("simulated nodes: API client closed");
  }
}

const retriedStatuses = new Set([429, 500, 502, 503, 504]);
const maxAttempts = 6;
const requestTimeoutMs = 30_000;

/**
 * The simulated kubelets' one HTTPS client: a keep-alive agent with a few dozen sockets and a
 * bounded number of requests in flight (the rest wait in a two-level queue), retrying 429, 5xx
 * and dropped connections with a short backoff. Other statuses are the caller's to handle.
 */
export class SimApiClient {
  private readonly agent: https.Agent;
  private readonly waiting: { high: Array<() => void>; normal: Array<() => void> } = {
    high: [],
    normal: [],
  };
  private active = 0;
  private closed = false;
  private readonly idle: Array<() => void> = [];
  requests = 0;

  constructor(
    readonly url: string,
    readonly tls: SimTls,
    private readonly concurrency = 32,
  ) {
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: concurrency,
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
    });
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    options: SimRequestOptions = {},
  ): Promise<SimAnswer> {
    for (let attempt = 1; ; attempt++) {
      await this.acquire(options.priority ?? "normal");
      let answer: SimAnswer | undefined;
      let failure: unknown;
      try {
        answer = await this.send(method, path, body, options.contentType);
      } catch (err) {
        failure = err;
      } finally {
        this.release();
      }
      if (answer && !retriedStatuses.has(answer.status)) return answer;
      if (attempt >= maxAttempts || this.closed) {
        if (answer) return answer;
        throw failure;
      }
      await sleep(Math.min(2_000, 100 * 2 ** (attempt - 1)) * (0.5 + Math.random()));
    }
  }

  /** Stops taking requests: queued ones fail, in-flight ones finish; resolves when none is left. */
  async close(): Promise<void> {
    this.closed = true;
    for (const queue of [this.waiting.high, this.waiting.normal]) {
      for (const wake of queue.splice(0)) wake();
    }
    if (this.active > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    this.agent.destroy();
  }

  private acquire(priority: "high" | "normal"): Promise<void> {
    if (this.closed) return Promise.reject(new SimClientClosedError());
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.waiting[priority].push(() => {
        if (this.closed) return reject(new SimClientClosedError());
        this.active++;
        resolve();
      });
    });
  }

  private release(): void {
    this.active--;
    const next = this.waiting.high.shift() ?? this.waiting.normal.shift();
    if (next) next();
    else if (this.active === 0) for (const done of this.idle.splice(0)) done();
  }

  private send(
    method: string,
    path: string,
    body: unknown,
    contentType = "application/json",
  ): Promise<SimAnswer> {
    this.requests++;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(`${this.url}${path}`, {
        method,
        agent: this.agent,
        timeout: requestTimeoutMs,
        headers: {
          accept: "application/json",
          ...(payload === undefined
            ? {}
            : { "content-type": contentType, "content-length": Buffer.byteLength(payload) }),
        },
      });
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
      req.on("error", reject);
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (b: Buffer) => chunks.push(b));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: keep the text for the error message
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.end(payload);
    });
  }
}

/** A failed answer as an Error naming the request, the status and the server's message. */
export function answerError(what: string, answer: SimAnswer): Error {
  const message =
    typeof answer.body === "object" && answer.body !== null && "message" in answer.body
      ? String(answer.body.message)
      : String(answer.body).slice(0, 500);
  return Object.assign(new Error(`${what}: ${answer.status} ${message}`), {
    status: answer.status,
  });
}
