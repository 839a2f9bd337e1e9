/**
 * Limits for one cgroup, version-neutral. An absent field leaves the current setting alone.
 * Units and meanings follow the OCI runtime spec (and so CRI and cgroup v1); each manager
 * converts to its own files (see conversions.ts for the v2 forms).
 */
export interface CgroupResources {
  /** Relative CPU weight as v1 shares, 2–262144 (v2: cpu.weight by runc's formula). */
  cpuShares?: number;
  /** CFS quota per period in µs; -1 removes the quota. */
  cpuQuotaUs?: number;
  /** CFS period in µs (1000–1000000). */
  cpuPeriodUs?: number;
  /** CPUs and memory nodes in list format ("0-3,6"). */
  cpusetCpus?: string;
  cpusetMems?: string;
  /** Memory limit in bytes; -1 removes it. */
  memoryLimitBytes?: number;
  /** Memory plus swap in bytes (v1 memsw; v2 swap.max = this − memory); -1 is unlimited swap. */
  memorySwapLimitBytes?: number;
  /** Maximum number of tasks; -1 removes the limit. */
  pidsLimit?: number;
  /** Per page size ("2MB", "1GB"), bytes of huge pages. */
  hugepageLimits?: HugepageLimit[];
  /** Raw cgroup v2 files to write last (CRI `unified`); refused on v1. */
  unified?: Record<string, string>;
}

export interface HugepageLimit {
  /** Page size as the kernel names it in hugetlb.<size>.*: "2MB", "1GB", "64KB". */
  pageSize: string;
  limitBytes: number;
}
