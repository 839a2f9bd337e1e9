import type { CgroupManager, CgroupStats } from "../cgroups/cgroup-manager.js";
import { nowNanos, type Nanos } from "../records.js";
import type { CpuRateCache } from "./cpu-rate-cache.js";

/** A cgroup's counters at one moment, with the CPU rate since the previous sample of it. */
export interface CgroupSample {
  /** Unix ns when the counters were read. */
  timestamp: Nanos;
  stats: CgroupStats;
  /** CPU ns per second since the previous sample; absent on the first one. */
  usageNanoCores?: number;
}

/** Reads a cgroup's counters; the rate cache is keyed by the cgroup path. */
export async function sampleCgroup(
  cgroups: Pick<CgroupManager, "stats">,
  rates: CpuRateCache,
  path: string,
): Promise<CgroupSample> {
  const timestamp = nowNanos();
  const atNs = process.hrtime.bigint();
  const stats = await cgroups.stats(path);
  const usage = stats.cpu.usageNs;
  const usageNanoCores = usage === undefined ? undefined : rates.rate(path, usage, atNs);
  return { timestamp, stats, ...(usageNanoCores !== undefined ? { usageNanoCores } : {}) };
}
