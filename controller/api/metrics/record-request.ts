import type http from "node:http";
import type { RequestInfo } from "../request-info.js";
import type { ApiMetrics } from "./api-metrics.js";

// The apiserver's verb labels: LIST and WATCH apart from GET, POST/PUT/PATCH/DELETE as sent.
const verbLabels: Record<string, string> = {
  get: "GET",
  list: "LIST",
  watch: "WATCH",
  create: "POST",
  update: "PUT",
  patch: "PATCH",
  delete: "DELETE",
  deletecollection: "DELETE",
};

/** Counts and times the request when its answer is finished (watches: when they end). */
export function recordRequest(
  metrics: ApiMetrics,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  info: RequestInfo,
  started: bigint,
): void {
  const labels = {
    verb: verbLabels[info.verb] ?? (req.method ?? "GET").toUpperCase(),
    dry_run: new URL(req.url ?? "/", "https://x").searchParams.has("dryRun") ? "All" : "",
    group: info.group,
    version: info.version,
    resource: info.resourceRequest ? info.resource : "",
    subresource: info.subresource,
    scope: !info.resourceRequest
      ? ""
      : info.name
        ? "resource"
        : info.namespace
          ? "namespace"
          : "cluster",
    component: "apiserver",
  };
  const longRunning = info.verb === "watch";
  const runningLabels = {
    verb: labels.verb,
    group: labels.group,
    version: labels.version,
    resource: labels.resource,
    subresource: labels.subresource,
    scope: labels.scope,
    component: labels.component,
  };
  if (longRunning) metrics.longRunning.inc(runningLabels);
  res.once("close", () => {
    if (longRunning) metrics.longRunning.dec(runningLabels);
    metrics.requests.inc({ ...labels, code: String(res.statusCode) });
    if (!longRunning) {
      metrics.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
  });
}
