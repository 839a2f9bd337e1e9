import { Registry, collectDefaultMetrics } from "prom-client";

/**
 * One registry per process, passed explicitly to whoever registers metrics (no global default
 * registry), so tests and side-by-side instances never collide.
 */
export function createMetricsRegistry(options: { processMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

export type { Registry };
