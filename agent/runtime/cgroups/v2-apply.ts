import type { CgroupFs } from "./cgroup-fs.js";
import { readControl, writeControl } from "./control-files.js";
import { cpuMaxLine, cpuSharesToWeight, memorySwapToV2, v2Limit } from "./conversions.js";
import type { CgroupResources } from "./resources.js";

/**
 * Writes limits to a v2 cgroup's files, converting from the OCI/v1 units of CgroupResources:
 * shares → cpu.weight, quota/period → cpu.max, memory+swap → memory.swap.max. Raw `unified`
 * entries go last, so they override (as in runc).
 */
export async function applyV2(fs: CgroupFs, dir: string, r: CgroupResources): Promise<void> {
  if (r.cpusetCpus !== undefined) await writeControl(fs, dir, "cpuset.cpus", r.cpusetCpus);
  if (r.cpusetMems !== undefined) await writeControl(fs, dir, "cpuset.mems", r.cpusetMems);
  if (r.cpuShares !== undefined)
    await writeControl(fs, dir, "cpu.weight", String(cpuSharesToWeight(r.cpuShares)));
  if (r.cpuQuotaUs !== undefined || r.cpuPeriodUs !== undefined) {
    const current = (await readControl(fs, `${dir}/cpu.max`)) ?? undefined;
    await writeControl(fs, dir, "cpu.max", cpuMaxLine(r.cpuQuotaUs, r.cpuPeriodUs, current), {
      EINVAL: "the quota must be at least 1000 µs and the period 1000–1000000 µs",
    });
  }
  const swap = memorySwapToV2(r.memoryLimitBytes, r.memorySwapLimitBytes);
  if (swap !== undefined) {
    await writeControl(fs, dir, "memory.swap.max", v2Limit(swap), {
      ENOENT: "no swap accounting on this kernel",
    });
  }
  if (r.memoryLimitBytes !== undefined) {
    await writeControl(fs, dir, "memory.max", v2Limit(r.memoryLimitBytes), {
      EBUSY: "usage is above the new limit and could not be reclaimed",
    });
  }
  if (r.pidsLimit !== undefined) await writeControl(fs, dir, "pids.max", v2Limit(r.pidsLimit));
  for (const h of r.hugepageLimits ?? []) {
    await writeControl(fs, dir, `hugetlb.${h.pageSize}.max`, String(h.limitBytes));
  }
  for (const [file, value] of Object.entries(r.unified ?? {}))
    await writeControl(fs, dir, file, value);
}
