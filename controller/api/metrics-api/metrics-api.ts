import type { Logger } from "../../../lib/logger.js";
import type { ComputedResourceType } from "./computed-resource-type.js";
import { nodeMetricsKind, podMetricsKind } from "./metrics-kinds.js";
import { NodeSampleCache, type Clock, type SampleCacheSettings } from "./sample-cache.js";
import { serveNodeMetrics, servePodMetrics } from "./serve-metrics.js";
import type { SummarySource } from "./summary-client.js";

export interface MetricsApiOptions {
  /** How a node's /stats/summary is read; absent (no kubelet client certificate): 503. */
  summaries?: SummarySource;
  logger: Logger;
  cache?: Partial<SampleCacheSettings>;
  clock?: Clock;
}

/**
 * metrics.k8s.io/v1beta1 served in-process, as metrics-server serves it: NodeMetrics (nodes) and
 * PodMetrics (pods), computed from the Ready nodes' agents' summaries, for `kubectl top`.
 */
export function metricsApiResourceTypes(options: MetricsApiOptions): ComputedResourceType[] {
  const cache =
    options.summaries &&
    new NodeSampleCache(options.summaries, options.logger, options.cache, options.clock);
  return [
    nodeMetricsKind((ctx) => serveNodeMetrics(ctx, cache)),
    podMetricsKind((ctx) => servePodMetrics(ctx, cache)),
  ];
}
