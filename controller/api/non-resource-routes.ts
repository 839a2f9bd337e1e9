import type http from "node:http";
import type { ApiDeps } from "./context.js";
import { aggregatedDiscovery, aggregatedDiscoveryType } from "./discovery/aggregated-discovery.js";
import {
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from "./discovery/legacy-discovery.js";
import { openApiDocument, openApiIndex } from "./discovery/openapi-v3.js";
import type { RequestInfo } from "./request-info.js";
import { sendJson } from "./respond.js";
import { ApiError } from "./status.js";
import { kubernetesVersion, versionInfo } from "./version-info.js";
import { sendMaybeCompressed } from "../../lib/compressed-response.js";

const notFoundStatus = () =>
  new ApiError(404, "NotFound", "the server could not find the requested resource");

/** /version, discovery, OpenAPI and /metrics; anything else is 404. */
export async function serveNonResource(
  deps: ApiDeps & { metricsText(): Promise<string> },
  req: http.IncomingMessage,
  res: http.ServerResponse,
  info: RequestInfo,
): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") throw notFoundStatus();
  const path = info.path.replace(/\/+$/, "") || "/";
  const accept = req.headers.accept;
  if (path === "/version") return sendJson(res, 200, versionInfo());
  if (path === "/metrics") {
    const text = await deps.metricsText();
    return sendMaybeCompressed(req, res, "text/plain; version=0.0.4; charset=utf-8", text);
  }
  if (path === "/api" || path === "/apis") {
    const aggregated = aggregatedDiscoveryType(accept);
    const core = path === "/api";
    if (aggregated) {
      const version = aggregated.includes("v=v2beta1") ? "v2beta1" : "v2";
      const body = aggregatedDiscovery(deps.registry, core, `apidiscovery.k8s.io/${version}`);
      res.setHeader("vary", "Accept");
      return sendJson(res, 200, body, aggregated);
    }
    return sendJson(res, 200, core ? apiVersions(deps.serverAddress) : apiGroupList(deps.registry));
  }
  if (info.apiPrefix === "api" && info.parts.length === 1) {
    const list = apiResourceList(deps.registry, "", info.parts[0]);
    if (list) return sendJson(res, 200, list);
  }
  if (info.apiPrefix === "apis" && info.parts.length === 1) {
    const group = apiGroupDocument(deps.registry, info.parts[0]);
    if (group) return sendJson(res, 200, group);
  }
  if (info.apiPrefix === "apis" && info.parts.length === 2) {
    const list = apiResourceList(deps.registry, info.parts[0], info.parts[1]);
    if (list) return sendJson(res, 200, list);
  }
  if (path === "/openapi/v3") {
    return sendJson(
      res,
      200,
      openApiIndex(deps.registry, (g, v) =>
        openApiDocument(deps.registry, g, v, kubernetesVersion),
      ),
    );
  }
  const openapi = /^\/openapi\/v3\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (openapi) {
    const [, coreVersion, group, version] = openapi;
    const doc = openApiDocument(
      deps.registry,
      group ?? "",
      coreVersion ?? version,
      kubernetesVersion,
    );
    if (doc) return sendJson(res, 200, doc);
  }
  throw notFoundStatus();
}
