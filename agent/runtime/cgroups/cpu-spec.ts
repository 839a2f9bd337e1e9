import type { CgroupFs } from "./cgroup-fs.js";
import { parseCounter, parsePids, readControl } from "./control-files.js";
import { cpuWeightToShares } from "./conversions.js";

/**
 * A cgroup's CPU settings in v1 terms, as cAdvisor reports a container's spec. A value that
 * cannot be read is absent; the quota is absent when there is none (v1 -1, v2 "max").
 */
export interface CgroupCpuSpec {
  periodUs?: number;
  quotaUs?: number;
  /** v1 cpu.shares; on v2 cpu.weight mapped back to shares (runc's inverse formula). */
  shares?: number;
}

/** v1: cpu.cfs_period_us, cpu.cfs_quota_us and cpu.shares of the cgroup's cpu directory. */
export async function readV1CpuSpec(fs: CgroupFs, dir: string | undefined): Promise<CgroupCpuSpec> {
  if (dir === undefined) return {};
  const [period, quota, shares] = await Promise.all([
    readControl(fs, `${dir}/cpu.cfs_period_us`),
    readControl(fs, `${dir}/cpu.cfs_quota_us`),
    readControl(fs, `${dir}/cpu.shares`),
  ]);
  return {
    periodUs: parseCounter(period),
    // -1 (no quota) fails parseCounter, as it should.
    quotaUs: parseCounter(quota),
    shares: parseCounter(shares),
  };
}

/** v2: cpu.max ("<quota|max> <period>") and cpu.weight. */
export async function readV2CpuSpec(fs: CgroupFs, dir: string): Promise<CgroupCpuSpec> {
  const [max, weight] = await Promise.all([
    readControl(fs, `${dir}/cpu.max`),
    readControl(fs, `${dir}/cpu.weight`),
  ]);
  const [quota, period] = (max ?? "").split(/\s+/);
  const w = parseCounter(weight);
  return {
    periodUs: parseCounter(period),
    quotaUs: parseCounter(quota),
    shares: w === undefined ? undefined : cpuWeightToShares(w),
  };
}

/** Processes listed in the cgroup's own cgroup.procs (not its descendants'); undefined if unreadable. */
export async function countOwnProcesses(
  fs: CgroupFs,
  dir: string | undefined,
): Promise<number | undefined> {
  if (dir === undefined) return undefined;
  const text = await readControl(fs, `${dir}/cgroup.procs`);
  return text === undefined ? undefined : parsePids(text).length;
}
