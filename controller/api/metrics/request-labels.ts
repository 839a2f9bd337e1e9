import type http from "node:http";
import type { RequestInfo } from "../request-info.js";

// The verbs kube-apiserver reports; anything else is "other" (bounded label values).
const reportedVerbs = new Set([
  "APPLY",
  "CONNECT",
  "CREATE",
  "DELETE",
  "DELETECOLLECTION",
  "GET",
  "LIST",
  "PATCH",
  "POST",
  "PROXY",
  "PUT",
  "UPDATE",
  "WATCH",
  "WATCHLIST",
]);

// Subresources whose requests stream for as long as the client wants (the apiserver's
// BasicLongRunningRequestCheck), beside watches.
const longRunningSubresources = new Set(["attach", "exec", "proxy", "log", "portforward"]);

const healthPaths = /^\/(healthz|livez|readyz)(\/|$)/;

/** The labels apiserver_request_total and apiserver_request_duration_seconds share. */
export type RequestLabels = Record<
  "verb" | "dry_run" | "group" | "version" | "resource" | "subresource" | "scope" | "component",
  string
>;

/** The apiserver's scope label (CleanScope): a create or a named object is "resource". */
export function requestScope(info: RequestInfo): string {
  if (info.name !== "" || (info.resourceRequest && info.verb === "create")) return "resource";
  if (info.namespace !== "") return "namespace";
  return info.resourceRequest ? "cluster" : "";
}

/**
 * The verb as the apiserver reports it in metrics and its HTTP log: the HTTP method, GET split
 * into GET and LIST by scope, WATCH for watches, APPLY for server-side apply patches.
 */
export function reportedVerb(req: http.IncomingMessage, info: RequestInfo): string {
  const method = (req.method ?? "GET").toUpperCase();
  let verb = method;
  if (method === "GET" || method === "HEAD") {
    const scope = requestScope(info);
    verb = scope !== "resource" && scope !== "" ? "LIST" : "GET";
  }
  if (info.verb === "watch") verb = "WATCH";
  const contentType = req.headers["content-type"] ?? "";
  if (method === "PATCH" && contentType.split(";")[0].trim() === "application/apply-patch+yaml") {
    verb = "APPLY";
  }
  return reportedVerbs.has(verb) ? verb : "other";
}

/** dry_run as the apiserver reports it: the sorted distinct values, or "invalid". */
export function dryRunLabel(url: URL): string {
  const values = url.searchParams.getAll("dryRun");
  if (values.length === 0) return "";
  if (values.some((v) => v !== "All")) return "invalid";
  return "All";
}

/**
 * The labels of one request, or undefined for requests the apiserver does not count: of the
 * non-resource paths only health checks are (subresource = the path, component empty).
 */
export function requestLabels(
  req: http.IncomingMessage,
  url: URL,
  info: RequestInfo,
): RequestLabels | undefined {
  const verb = reportedVerb(req, info);
  if (!info.resourceRequest) {
    if (!healthPaths.test(url.pathname)) return undefined;
    const empty = { group: "", version: "", resource: "", scope: "", component: "" };
    return { ...empty, verb, dry_run: "", subresource: url.pathname };
  }
  return {
    verb,
    dry_run: dryRunLabel(url),
    group: info.group,
    version: info.version,
    resource: info.resource,
    subresource: info.subresource,
    scope: requestScope(info),
    component: "apiserver",
  };
}

/** Watches and streams (logs, exec, attach, port forwarding): apiserver_longrunning_requests. */
export function isLongRunning(info: RequestInfo): boolean {
  return (
    info.resourceRequest && (info.verb === "watch" || longRunningSubresources.has(info.subresource))
  );
}
