import type http from "node:http";
import type { Authorizer, RequestAttributes, UserInfo } from "../auth/auth-api.js";
import { isPublicPath } from "../auth/authenticate.js";
import { nodesGroup } from "../auth/well-known.js";
import { forbiddenMessage } from "../auth/forbidden-message.js";
import type { ApiDeps, RequestContext } from "./context.js";
import { connectSubresources } from "./node-proxy/connect-options.js";
import type { UpgradeConnection } from "./node-proxy/upgrade-listener.js";
import { serveNonResource } from "./non-resource-routes.js";
import { parseRequestInfo, type RequestInfo } from "./request-info.js";
import { routeResource } from "./resource-router.js";
import { decodeBody, readBody } from "./request-body.js";
import { sendError } from "./respond.js";
import { ApiError, asApiError, forbidden, unauthorized } from "./status.js";
import { recordRequest } from "./metrics/record-request.js";
import { logRequest, type RequestParty } from "./access-log.js";

export type Authenticate = (req: http.IncomingMessage) => UserInfo | undefined | "invalid";

export interface HandlerDeps extends ApiDeps {
  authenticate: Authenticate;
  authorizer: Authorizer;
  metricsText(): Promise<string>;
}

/**
 * One HTTP request: health, authentication, authorization, then discovery or a resource. An
 * upgrade request (exec, attach, port forwarding) comes with its connection.
 */
export function createRequestHandler(deps: HandlerDeps) {
  return (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    upgrade?: UpgradeConnection,
  ): void => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? "/", "https://berth.invalid");
    const info = parseRequestInfo(req.method ?? "GET", url);
    const party: RequestParty = {};
    recordRequest(deps.metrics, req, res, url, info, started);
    logRequest(deps.logger, req, res, url, info, party, upgrade !== undefined);
    handle(deps, req, res, url, info, upgrade, party).catch((err) => {
      const apiError = asApiError(err, info.resourceRequest ? subject(info) : undefined);
      if (apiError.code >= 500) {
        deps.logger.error("request failed", {
          method: req.method,
          path: url.pathname,
          code: apiError.code,
          error: (err as Error)?.stack ?? String(err),
        });
      }
      sendError(res, apiError);
    });
  };
}

async function handle(
  deps: HandlerDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  info: RequestInfo,
  upgrade: UpgradeConnection | undefined,
  party: RequestParty,
): Promise<void> {
  if (isPublicPath(url.pathname)) {
    return serveHealth(deps, url.pathname, res);
  }
  const user = deps.authenticate(req);
  if (user === undefined || user === "invalid") throw unauthorized();
  party.user = user;
  const attributes: RequestAttributes = {
    user,
    verb: info.verb,
    resourceRequest: info.resourceRequest,
    apiGroup: info.group,
    resource: info.resource,
    subresource: info.subresource,
    namespace: info.namespace,
    name: info.name,
    path: url.pathname,
  };
  if (
    info.verb === "create" &&
    !info.name &&
    !info.subresource &&
    user.groups.includes(nodesGroup)
  ) {
    // Node rules decide creates by the new object's name (a node may create only its own Node);
    // nobody else's creates need the body before the handler reads it.
    attributes.name = await nameInBody(req);
  }
  const decision = await deps.authorizer.authorize(attributes);
  if (!decision.allowed) throw forbidden(forbiddenMessage(attributes, decision.reason));
  if (opensStream(info) && attributes.verb !== "create") {
    // A WebSocket exec, attach or port forward is a GET, but it acts on the pod as much as the
    // SPDY POST does: it must be allowed to create too (AuthorizePodWebsocketUpgradeCreatePermission).
    const create = { ...attributes, verb: "create" };
    const also = await deps.authorizer.authorize(create);
    if (!also.allowed) throw forbidden(forbiddenMessage(create, also.reason));
  }
  if (!info.resourceRequest) return serveNonResource(deps, req, res, info);

  let resource = info.resource;
  if (info.group === "" && resource === "bindings" && !info.name) {
    // POST /api/v1/namespaces/<ns>/bindings: the older form of pods/<name>/binding.
    resource = "pods";
    info.subresource = "binding";
    info.verb = "create";
  }
  const rt = deps.registry.find(info.group, info.version, resource);
  if (!rt || (rt.namespaced === false && info.namespace && info.resource !== "namespaces")) {
    throw new ApiError(404, "NotFound", "the server could not find the requested resource");
  }
  const ctx: RequestContext = { deps, req, res, url, info, user, rt, upgrade };
  await routeResource(ctx);
}

async function serveHealth(deps: HandlerDeps, path: string, res: http.ServerResponse) {
  const ready = path.startsWith("/livez") ? true : await deps.resources.store.healthy();
  res.writeHead(ready ? 200 : 500, { "content-type": "text/plain; charset=utf-8" });
  res.end(ready ? "ok" : "[-]etcd failed: reason withheld\nhealthz check failed");
}

async function nameInBody(req: http.IncomingMessage): Promise<string> {
  try {
    const body = decodeBody(await readBody(req), req.headers["content-type"]);
    const name = (body as { metadata?: { name?: unknown } })?.metadata?.name;
    return typeof name === "string" ? name : "";
  } catch (err) {
    if (err instanceof ApiError && err.code === 413) throw err;
    return ""; // the handler reports what is wrong with the body
  }
}

function opensStream(info: RequestInfo): boolean {
  return (
    info.resourceRequest &&
    info.group === "" &&
    info.resource === "pods" &&
    connectSubresources.includes(info.subresource)
  );
}

function subject(info: RequestInfo) {
  return { resource: info.resource, group: info.group, kind: info.resource, name: info.name };
}

export { ApiError };
