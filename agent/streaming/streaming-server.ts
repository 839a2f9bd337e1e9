import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { attachEndpoint } from "./attach-endpoint.js";
import { authorize, clientIdentity, type StreamingAuthorization } from "./client-identity.js";
import { serveContainerLogs } from "./container-logs.js";
import type { EndpointContext, UpgradeEndpoint } from "./endpoint-context.js";
import { execEndpoint } from "./exec-endpoint.js";
import {
  badRequest,
  refuseUpgrade,
  sendStatus,
  StatusError,
  toStatusError,
} from "./kube-status.js";
import { portForwardEndpoint } from "./port-forward-endpoint.js";
import { matchRoute } from "./stream-routes.js";
import { requestedTransport, SessionUpgrader } from "./session-upgrader.js";

/** Another piece's page on the same server (e.g. /metrics, /stats/summary). */
export interface StreamingRoute {
  path: string;
  /** Served without a client certificate, like /healthz. */
  anonymous?: boolean;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

export interface StreamingServerOptions extends EndpointContext {
  /** PEM: the node's serving certificate and key, and the CA client certificates must chain to. */
  tls: { cert: string; key: string; ca: string };
  authorization: StreamingAuthorization;
  extraRoutes?: StreamingRoute[];
}

export interface StreamingServer {
  server: https.Server;
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** Stops listening and ends every stream (their processes are stopped). */
  close(): Promise<void>;
}

/**
 * The node's HTTPS API for logs and interactive streams, laid out as kubelet's: only callers
 * with a client certificate from the cluster CA that the authorization allows; /healthz for all.
 */
export function createStreamingServer(options: StreamingServerOptions): StreamingServer {
  const { tls, authorization, extraRoutes = [], ...ctx } = options;
  const server = https.createServer({ ...tls, requestCert: true, rejectUnauthorized: false });
  const upgrader = new SessionUpgrader(ctx.logger);
  const upgradeEndpoints: Record<string, UpgradeEndpoint> = {
    exec: execEndpoint(ctx),
    attach: attachEndpoint(ctx),
    portForward: portForwardEndpoint(ctx),
  };

  const handleRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "https://node");
    const extra = extraRoutes.find((r) => r.path === url.pathname);
    const route = matchRoute(url.pathname);
    if (!(extra?.anonymous || route?.endpoint === "healthz")) {
      authorize(clientIdentity(req), authorization, url.pathname);
    }
    if (extra) return extra.handle(req, res);
    if (!route) throw notFound(url.pathname);
    if (req.method !== "GET" && req.method !== "HEAD" && req.method !== "POST") {
      throw new StatusError(405, "MethodNotAllowed", `method ${req.method} is not allowed`);
    }
    if (route.endpoint === "healthz") {
      res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
    } else if (route.endpoint === "containerLogs") {
      await serveContainerLogs(ctx, route, url.searchParams, res);
    } else {
      throw badRequest(`${route.endpoint} needs an upgrade (WebSocket or SPDY/3.1)`);
    }
  };

  const handleUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "https://node");
    authorize(clientIdentity(req), authorization, url.pathname);
    const route = matchRoute(url.pathname);
    const endpoint = route && upgradeEndpoints[route.endpoint];
    if (!route || !endpoint) throw notFound(url.pathname);
    const transport = requestedTransport(req);
    const session = await endpoint.prepare(route, url.searchParams, transport);
    upgrader.upgrade(req, socket, head, session, transport);
  };

  const logFailure = (req: IncomingMessage, err: unknown) => {
    if (toStatusError(err).code >= 500) {
      ctx.logger.error("streaming request failed", {
        path: req.url?.replace(/\?.*/, ""),
        error: String(err),
      });
    }
  };
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(req, res).catch((err: unknown) => {
      logFailure(req, err);
      sendStatus(res, err);
    });
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    handleUpgrade(req, socket, head).catch((err: unknown) => {
      logFailure(req, err);
      refuseUpgrade(socket, err);
    });
  });

  return {
    server,
    listen: (port, host = "0.0.0.0") =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        upgrader.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const notFound = (path: string) =>
  new StatusError(404, "NotFound", `the server could not find the requested resource (${path})`);
