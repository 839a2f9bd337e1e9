import http from "node:http";
import type net from "node:net";

/** One request the proxy saw. */
export interface ProxiedRequest {
  method: string;
  path: string;
  range?: string;
  accept?: string;
  /** Body bytes sent back (after any cut). */
  sent: number;
}

/** What the proxy does to one blob's downloads (keyed by digest). */
export interface BlobTrouble {
  /** Flip one byte of the body: the client gets the right size with the wrong digest. */
  corrupt?: boolean;
  /** The first download of the blob breaks (socket destroyed) after this many body bytes. */
  cutOnceAfter?: number;
  /** Every download sends this many body bytes, then goes silent with the connection open. */
  stallAfter?: number;
}

export interface RegistryProxy {
  /** "127.0.0.1:PORT": use it as the image reference's domain. */
  host: string;
  requests: ProxiedRequest[];
  /** GETs of a path, e.g. `/v2/team/app/blobs/sha256:…`. */
  count(path: string): number;
  /** Blob GETs of a digest, wherever they were sent (redirected ones included). */
  blobGets(digest: string): ProxiedRequest[];
  trouble: Map<string, BlobTrouble>;
  /** Answer blob GETs with a 307 to another path on the proxy (as registries do to storage). */
  redirectBlobs: boolean;
  /** A canned answer for GETs of `path`, instead of the registry's (e.g. a schema 1 manifest). */
  fixed: Map<string, { status: number; headers: Record<string, string>; body: Buffer }>;
  /** Forgets requests, trouble and canned answers, for the next test. */
  reset(): void;
  stop(): Promise<void>;
}

const redirectPrefix = "/_storage";

/**
 * An HTTP proxy on 127.0.0.1 in front of a test registry that misbehaves on request: corrupts,
 * cuts or stalls blob downloads, redirects them, serves canned manifests, and counts requests.
 */
export async function startRegistryProxy(upstream: string): Promise<RegistryProxy> {
  const sockets = new Set<net.Socket>();
  const cut = new Set<string>();
  const proxy: RegistryProxy = {
    host: "",
    requests: [],
    count: (path) => proxy.requests.filter((r) => r.method === "GET" && r.path === path).length,
    blobGets: (digest) =>
      proxy.requests.filter((r) => r.method === "GET" && r.path.endsWith(`/blobs/${digest}`)),
    trouble: new Map(),
    redirectBlobs: false,
    fixed: new Map(),
    reset() {
      proxy.requests.length = 0;
      proxy.trouble.clear();
      proxy.fixed.clear();
      proxy.redirectBlobs = false;
      cut.clear();
    },
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = http.createServer((req, res) => {
    const path = req.url ?? "/";
    const seen: ProxiedRequest = {
      method: req.method ?? "GET",
      path,
      range: req.headers.range,
      accept: req.headers.accept,
      sent: 0,
    };
    proxy.requests.push(seen);
    const canned = req.method === "GET" ? proxy.fixed.get(path) : undefined;
    if (canned) {
      res.writeHead(canned.status, { ...canned.headers, "content-length": canned.body.length });
      res.end(canned.body);
      return;
    }
    const digest = /\/blobs\/(sha256:[a-f0-9]{64})$/.exec(path)?.[1];
    if (digest && proxy.redirectBlobs && !path.startsWith(redirectPrefix)) {
      res.writeHead(307, { location: `${redirectPrefix}${path}`, "content-length": 0 });
      res.end();
      return;
    }
    const upstreamPath = path.startsWith(redirectPrefix) ? path.slice(redirectPrefix.length) : path;
    const out = http.request(
      {
        host: upstream.split(":")[0],
        port: Number(upstream.split(":")[1]),
        method: req.method,
        path: upstreamPath,
        headers: { ...req.headers, host: upstream },
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        const t = digest && req.method === "GET" ? proxy.trouble.get(digest) : undefined;
        if (!t || (answer.statusCode !== 200 && answer.statusCode !== 206)) {
          answer.on("data", (chunk: Buffer) => (seen.sent += chunk.length));
          answer.pipe(res);
          return;
        }
        const cutAt =
          t.cutOnceAfter !== undefined && !cut.has(digest as string) ? t.cutOnceAfter : undefined;
        if (cutAt !== undefined) cut.add(digest as string);
        const limit = cutAt ?? t.stallAfter;
        let corrupted = !t.corrupt;
        answer.on("data", (chunk: Buffer) => {
          let part = chunk;
          if (!corrupted && part.length > 0) {
            part = Buffer.from(part);
            part[Math.floor(part.length / 2)] ^= 0xff;
            corrupted = true;
          }
          const reached = limit !== undefined && seen.sent + part.length >= limit;
          if (reached) part = part.subarray(0, (limit as number) - seen.sent);
          seen.sent += part.length;
          if (!reached) {
            res.write(part);
            return;
          }
          answer.destroy();
          // A cut breaks the connection once its bytes are out; a stall just stops sending.
          res.write(part, () => {
            if (cutAt !== undefined) res.destroy();
          });
        });
        answer.on("end", () => res.end());
      },
    );
    out.on("error", () => res.destroy());
    req.pipe(out);
  });
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  proxy.host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return proxy;
}
