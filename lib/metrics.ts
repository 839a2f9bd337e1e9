import { Registry, collectDefaultMetrics } from "prom-client";

const badlyNamedDefaults = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

/**
 * One registry per process, passed explicitly to whoever registers metrics (no global default
 * registry), so tests and side-by-side instances never collide.
 */
export function createMetricsRegistry(options: { processMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
    // Gauges named like counters fail `promtool check metrics`; each has a per-type twin
    // without the suffix (nodejs_active_handles{type}…) that says the same.
    for (const name of badlyNamedDefaults) registry.removeSingleMetric(name);
  }
  return registry;
}

export type { Registry };
