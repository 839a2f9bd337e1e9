/** One cumulative CPU reading: usage in ns at a monotonic time in ns. */
interface CpuSample {
  usageNs: number;
  atNs: bigint;
}

const defaultMaxAgeNs = 10n * 60n * 1_000_000_000n;

/**
 * usage_nano_cores needs two readings of a cumulative counter. Like containerd's CRI plugin, the
 * previous reading of each cgroup is kept in memory and every stats call computes the rate since
 * it: the kubelet polls every few seconds, so the rate covers its own interval and the first call
 * for a cgroup has none. Readings older than `maxAgeNs` are forgotten (their cgroup is likely
 * gone), so the cache stays as small as the set of cgroups being polled.
 */
export class CpuRateCache {
  private readonly samples = new Map<string, CpuSample>();

  constructor(private readonly maxAgeNs = defaultMaxAgeNs) {}

  /**
   * Keeps this reading and returns ns of CPU per second (nano cores) since the previous reading
   * of `key`; undefined for the first, and after a counter reset (a new cgroup under the same
   * path) or a clock that did not move.
   */
  rate(key: string, usageNs: number, atNs: bigint): number | undefined {
    this.forgetOlderThan(atNs - this.maxAgeNs);
    const previous = this.samples.get(key);
    this.samples.set(key, { usageNs, atNs });
    if (!previous || atNs <= previous.atNs || usageNs < previous.usageNs) return undefined;
    const elapsedNs = Number(atNs - previous.atNs);
    return Math.round(((usageNs - previous.usageNs) * 1e9) / elapsedNs);
  }

  get size(): number {
    return this.samples.size;
  }

  private forgetOlderThan(limitNs: bigint): void {
    for (const [key, sample] of this.samples) {
      if (sample.atNs < limitNs) this.samples.delete(key);
    }
  }
}
