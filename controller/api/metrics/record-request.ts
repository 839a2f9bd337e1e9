import type http from "node:http";
import type { RequestInfo } from "../request-info.js";
import type { ApiMetrics } from "./api-metrics.js";
import { isLongRunning, requestLabels } from "./request-labels.js";

/**
 * Counts and times the request when its answer is finished (watches and streams: when they end,
 * as the apiserver's instrumented handlers do); open ones count in apiserver_longrunning_requests.
 */
export function recordRequest(
  metrics: ApiMetrics,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  info: RequestInfo,
  started: bigint,
): void {
  // Labels now: handlers may rewrite the request info (the legacy bindings form) on the way.
  const labels = requestLabels(req, url, info);
  if (!labels) return;
  const runningLabels: Partial<typeof labels> = { ...labels };
  delete runningLabels.dry_run;
  const longRunning = isLongRunning(info);
  if (longRunning) metrics.longRunning.inc(runningLabels);
  res.once("close", () => {
    if (longRunning) metrics.longRunning.dec(runningLabels);
    metrics.requests.inc({ ...labels, code: String(res.statusCode) });
    metrics.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
  });
}
