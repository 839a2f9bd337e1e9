import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { berthVersion } from "../../lib/version.js";
import { invalidArgument } from "../../lib/errors.js";
import { loadKubeconfig, type KubeCredentials } from "./kubeconfig.js";
import { sendRequest, type Query } from "./send-request.js";

export type { Query } from "./send-request.js";

export type PatchType = "merge" | "strategic" | "json" | "apply";

const patchContentTypes: Record<PatchType, string> = {
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  json: "application/json-patch+json",
  // JSON is YAML, so an apply configuration goes as JSON text.
  apply: "application/apply-patch+yaml",
};

/** What the agent writes as, so managedFields and audit show who changed what. */
export const fieldManager = "berth-agent";

export interface KubeList<T> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export interface KubeClientOptions extends KubeCredentials {
  /** Whole-request deadline for non-streaming requests (default 30 s). */
  timeoutMs?: number;
  /** Keep-alive sockets to the server for ordinary requests (default 16). */
  maxSockets?: number;
}

/** Per-call options of the verb methods. */
export interface CallOptions {
  query?: Query;
  signal?: AbortSignal;
  /** Overrides the client's deadline for this request. */
  timeoutMs?: number;
}

export interface RequestOptions extends CallOptions {
  body?: unknown;
  contentType?: string;
}

const withManager = (options: CallOptions | undefined): Query => ({
  fieldManager,
  ...options?.query,
});

/**
 * The agent's client for the Kubernetes API: JSON over HTTPS with a keep-alive agent (bounded
 * sockets), a per-request deadline, and failures as KubeApiError (a BerthError carrying the
 * server's Status). Paths are API paths ("/api/v1/nodes/n1"). Watches and other long streams get
 * their own connections, so they never starve ordinary requests of sockets.
 */
export class KubeClient {
  readonly server: URL;
  private readonly agent: http.Agent;
  private readonly streamAgent: http.Agent;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(options: KubeClientOptions) {
    try {
      this.server = new URL(options.server);
    } catch {
      throw invalidArgument(`server ${JSON.stringify(options.server)} is not a URL`, {
        field: "server",
      });
    }
    if (this.server.protocol !== "https:" && this.server.protocol !== "http:") {
      throw invalidArgument(`server ${options.server} must be an https:// URL`, {
        field: "server",
      });
    }
    const tls = {
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      rejectUnauthorized: options.insecureSkipTlsVerify !== true,
    };
    const Agent = this.server.protocol === "https:" ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16, ...tls });
    this.streamAgent = new Agent({ keepAlive: false, ...tls });
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const arch = process.arch === "x64" ? "amd64" : process.arch;
    this.headers = {
      "user-agent": `berth-agent/${berthVersion} (linux/${arch})`,
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    };
  }

  get<T>(path: string, options?: CallOptions): Promise<T> {
    return this.request<T>("GET", path, { ...options });
  }

  list<T>(path: string, options?: CallOptions): Promise<KubeList<T>> {
    return this.request<KubeList<T>>("GET", path, { ...options });
  }

  create<T>(path: string, body: unknown, options?: CallOptions): Promise<T> {
    return this.request<T>("POST", path, { ...options, body, query: withManager(options) });
  }

  update<T>(path: string, body: unknown, options?: CallOptions): Promise<T> {
    return this.request<T>("PUT", path, { ...options, body, query: withManager(options) });
  }

  patch<T>(path: string, body: unknown, type: PatchType, options?: CallOptions): Promise<T> {
    return this.request<T>("PATCH", path, {
      ...options,
      body,
      contentType: patchContentTypes[type],
      query: withManager(options),
    });
  }

  /** DELETE with optional DeleteOptions (gracePeriodSeconds, preconditions…) as the body. */
  delete<T>(path: string, deleteOptions?: object, options?: CallOptions): Promise<T> {
    return this.request<T>("DELETE", path, { ...options, body: deleteOptions });
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return sendRequest(this.target(this.agent, method, path, options), {
      body: options.body,
      contentType: options.contentType,
      timeoutMs: options.timeoutMs ?? this.timeoutMs,
      signal: options.signal,
      stream: false,
    }) as Promise<T>;
  }

  /**
   * A GET whose answer is read as a stream (a watch): resolves with the response once a 2xx
   * status arrived (else rejects with its KubeApiError). `idleTimeoutMs` ends a silent stream.
   */
  async stream(
    path: string,
    options: { query?: Query; signal?: AbortSignal; idleTimeoutMs?: number },
  ): Promise<IncomingMessage> {
    return sendRequest(this.target(this.streamAgent, "GET", path, options), {
      timeoutMs: this.timeoutMs,
      idleTimeoutMs: options.idleTimeoutMs,
      signal: options.signal,
      stream: true,
    }) as Promise<IncomingMessage>;
  }

  /** Closes every socket: the client is done (requests still running fail as Unavailable). */
  close(): void {
    this.agent.destroy();
    this.streamAgent.destroy();
  }

  private target(agent: http.Agent, method: string, path: string, options: { query?: Query }) {
    if (!path.startsWith("/")) {
      throw invalidArgument(`API path ${JSON.stringify(path)} must start with /`, {
        field: "path",
      });
    }
    const base = `${this.server.origin}${this.server.pathname.replace(/\/+$/, "")}`;
    const url = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== "") url.searchParams.set(key, String(value));
    }
    return { url, method, path, agent, headers: this.headers };
  }
}

/** A client for the current (or named) context of a kubeconfig file. */
export async function kubeClientFromKubeconfig(
  file: string,
  options: { context?: string; timeoutMs?: number; maxSockets?: number } = {},
): Promise<KubeClient> {
  const credentials = await loadKubeconfig(file, { context: options.context });
  return new KubeClient({ ...credentials, ...options });
}
