/**
 * Usage counters of one cgroup (including its descendants). A value the host cannot provide or
 * that could not be read is absent, never zero or a guess; limits are absent when unlimited.
 */
export interface CgroupStats {
  cpu: {
    /** Cumulative CPU time in ns (v1 cpuacct.usage; v2 cpu.stat usage_usec × 1000). */
    usageNs?: number;
    userNs?: number;
    systemNs?: number;
    /** CFS enforcement periods elapsed, periods throttled, and total throttled time in ns. */
    periods?: number;
    throttledPeriods?: number;
    throttledNs?: number;
  };
  memory: {
    usageBytes?: number;
    /** usage − inactive_file (clamped at 0), as cAdvisor and the kubelet compute it. */
    workingSetBytes?: number;
    /** Anonymous memory (v1 total_rss; v2 anon) and page cache (v1 total_cache; v2 file). */
    rssBytes?: number;
    cacheBytes?: number;
    /** Swap in use (v1 memsw.usage − usage; v2 memory.swap.current). */
    swapBytes?: number;
    pageFaults?: number;
    majorPageFaults?: number;
    limitBytes?: number;
    /** Processes the OOM killer killed in this cgroup. */
    oomKills?: number;
  };
  pids: {
    current?: number;
    limit?: number;
  };
}
