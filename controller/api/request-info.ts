/** What a request URL addresses, as Kubernetes' RequestInfo. */
export interface RequestInfo {
  /** True for /api/<v>/… and /apis/<g>/<v>/… paths that name a resource. */
  resourceRequest: boolean;
  path: string;
  /** get, list, watch, create, update, patch, delete, deletecollection; HTTP verb lowercased otherwise. */
  verb: string;
  apiPrefix: "api" | "apis" | "";
  group: string;
  version: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** Path segments after /api or /apis, for discovery requests. */
  parts: string[];
}

const namespaceSubresources = new Set(["status", "finalize"]);

const httpVerbs: Record<string, string> = {
  POST: "create",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};

/**
 * Parses /api/v1/namespaces/ns/pods/name/status and friends. The `namespaces` collection is a
 * resource like any other (/api/v1/namespaces/ns is the namespace itself), and the legacy
 * /watch/ prefix is accepted.
 */
export function parseRequestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const segments = path
    .split("/")
    .filter((s) => s !== "")
    .map(decodeURIComponent);
  const info: RequestInfo = {
    resourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: "",
    group: "",
    version: "",
    namespace: "",
    resource: "",
    subresource: "",
    name: "",
    parts: [],
  };
  const prefix = segments[0];
  if (prefix !== "api" && prefix !== "apis") return info;
  info.apiPrefix = prefix;
  let rest = segments.slice(1);
  info.parts = rest;
  if (prefix === "apis") {
    if (rest.length < 3) return info;
    info.group = rest[0];
    rest = rest.slice(1);
  } else if (rest.length < 2) {
    return info;
  }
  info.version = rest[0];
  rest = rest.slice(1);

  let watchPrefix = false;
  if (rest[0] === "watch") {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  if (rest.length === 0) return info;
  info.resourceRequest = true;
  // /api/v1/namespaces/ns/status|finalize are the namespace's own subresources, not a collection.
  const namespaceSubresource =
    rest[0] === "namespaces" && rest.length === 3 && namespaceSubresources.has(rest[2]);
  if (rest[0] === "namespaces" && rest.length >= 3 && !namespaceSubresource) {
    info.namespace = rest[1];
    rest = rest.slice(2);
  }
  info.resource = rest[0];
  info.name = rest[1] ?? "";
  info.subresource = rest[2] ?? "";
  if (rest.length > 3) info.resourceRequest = false;

  const watchParam = url.searchParams.get("watch");
  const watching = watchPrefix || watchParam === "true" || watchParam === "1";
  if (method === "GET" || method === "HEAD") {
    info.verb = watching ? "watch" : info.name ? "get" : "list";
  } else {
    info.verb = httpVerbs[method] ?? method.toLowerCase();
    if (info.verb === "delete" && !info.name) info.verb = "deletecollection";
  }
  return info;
}
