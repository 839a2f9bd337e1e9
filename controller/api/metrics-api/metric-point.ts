import type { CpuReading } from "./summary-reading.js";

/** A node's or a container's counters as one scrape read them. */
export interface MetricPoint {
  /** Wall-clock ms of the scrape: the API's timestamp. */
  atMs: number;
  /** Monotonic ms of the scrape: windows are measured on this clock. */
  monoMs: number;
  /** When the node booted or the container started (RFC 3339): the counters' origin. */
  startTime: string;
  cpu: CpuReading;
  workingSetBytes?: number;
}

/** Usage over the window between two points, as metrics-server reports it. */
export interface Usage {
  cpuNanoCores: number;
  memoryBytes: number;
  /** Wall-clock ms of the later point. */
  timestampMs: number;
  windowMs: number;
}

/**
 * CPU as the cumulative counter's rate between the two scrapes (what metrics-server computes; the
 * agent's own usageNanoCores covers whatever interval its previous reader left, so it is only the
 * fallback for an agent without cumulative counters), memory as the later working set. Undefined
 * when the points cannot give a rate: no working set, a restart or counter reset in between, or
 * no time between them.
 */
export function usageBetween(prev: MetricPoint, last: MetricPoint): Usage | undefined {
  const windowMs = last.monoMs - prev.monoMs;
  if (last.workingSetBytes === undefined || windowMs <= 0) return undefined;
  const cpuNanoCores = cpuRate(prev, last, windowMs);
  if (cpuNanoCores === undefined) return undefined;
  return { cpuNanoCores, memoryBytes: last.workingSetBytes, timestampMs: last.atMs, windowMs };
}

function cpuRate(prev: MetricPoint, last: MetricPoint, windowMs: number): number | undefined {
  const before = prev.cpu.usageCoreNanoSeconds;
  const after = last.cpu.usageCoreNanoSeconds;
  if (before !== undefined && after !== undefined) {
    if (restartedSince(prev, last) || after < before) return undefined;
    return Math.trunc(((after - before) * 1000) / windowMs);
  }
  return last.cpu.usageNanoCores;
}

/** Started again after the earlier scrape (metrics-server's test); whole-second start times round down. */
function restartedSince(prev: MetricPoint, last: MetricPoint): boolean {
  const started = Date.parse(last.startTime);
  return Number.isFinite(started) && started > prev.atMs;
}
