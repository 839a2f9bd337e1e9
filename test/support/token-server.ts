import { randomBytes } from "node:crypto";
import http from "node:http";
import type net from "node:net";

export interface TokenServerOptions {
  /** "127.0.0.1:PORT" of the registry (startRegistry()) the front proxies authorised requests to. */
  upstream: string;
  user: string;
  password: string;
  /** A refresh token accepted by the OAuth2 POST form (an identity token). */
  refreshToken?: string;
  /** `expires_in` of issued tokens (seconds); omitted from answers when undefined. */
  expiresInS?: number;
}

export interface TokenServer {
  /** "127.0.0.1:PORT": use it as the registry host. */
  host: string;
  url: string;
  /** Every request to /token: method, query scopes, whether the credentials were good. */
  tokenRequests: { method: string; scopes: string[]; service: string | null; granted: boolean }[];
  /** Requests to /v2/… that came with a valid token. */
  authorisedRequests(): number;
  stop(): Promise<void>;
}

const service = "test";

/**
 * A registry front with distribution-spec bearer auth, on 127.0.0.1: /v2/… without a valid token
 * gets 401 `Bearer realm=…/token,service="test",scope=…`; /token issues tokens for good basic
 * credentials (GET) or a good refresh token (POST form); authorised requests are proxied to a
 * real registry.
 */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const tokens = new Map<string, number>(); // token → expiry (ms)
  const tokenRequests: TokenServer["tokenRequests"] = [];
  let authorised = 0;
  let realm = "";

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://front");
    if (url.pathname === "/token") {
      void issueToken(req, url, res);
      return;
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const expiry = bearer === undefined ? undefined : tokens.get(bearer);
    if (expiry === undefined || expiry < Date.now()) {
      const repo = /^\/v2\/(.+?)\/(manifests|blobs|tags)\//.exec(url.pathname)?.[1];
      const actions = req.method === "GET" || req.method === "HEAD" ? "pull" : "pull,push";
      const scope = repo ? `,scope="repository:${repo}:${actions}"` : "";
      res.writeHead(401, {
        "content-type": "application/json",
        "www-authenticate": `Bearer realm="${realm}",service="${service}"${scope}`,
      });
      res.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "token required" }] }));
      return;
    }
    authorised++;
    proxy(req, res, options.upstream);
  });

  async function issueToken(req: http.IncomingMessage, url: URL, res: http.ServerResponse) {
    let granted: boolean;
    let scopes = url.searchParams.getAll("scope");
    let askedService = url.searchParams.get("service");
    if (req.method === "POST") {
      const form = new URLSearchParams(await readAll(req));
      scopes = (form.get("scope") ?? "").split(" ").filter((s) => s !== "");
      askedService = form.get("service");
      granted =
        form.get("grant_type") === "refresh_token" &&
        options.refreshToken !== undefined &&
        form.get("refresh_token") === options.refreshToken;
    } else {
      req.resume();
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const good = Buffer.from(`${options.user}:${options.password}`).toString("base64");
      granted = basic === good;
    }
    tokenRequests.push({ method: req.method ?? "", scopes, service: askedService, granted });
    if (!granted) {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "bad credentials" }] }));
      return;
    }
    const token = randomBytes(18).toString("hex");
    tokens.set(token, Date.now() + (options.expiresInS ?? 60) * 1000);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        token,
        ...(options.expiresInS === undefined ? {} : { expires_in: options.expiresInS }),
      }),
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const host = `127.0.0.1:${port}`;
  realm = `http://${host}/token`;
  return {
    host,
    url: `http://${host}`,
    tokenRequests,
    authorisedRequests: () => authorised,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function proxy(req: http.IncomingMessage, res: http.ServerResponse, upstream: string): void {
  const headers = { ...req.headers };
  delete headers.authorization;
  // The Host header stays the front's, so Locations the registry builds point back here.
  const out = http.request(
    `http://${upstream}${req.url ?? "/"}`,
    { method: req.method, headers, agent: false },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on("error", () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(out);
}

async function readAll(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
