import type { CgroupFs } from "./cgroup-fs.js";
import { parseCounter, parseFlatKeyed, parseV1Limit, readControl } from "./control-files.js";
import type { CgroupStats } from "./stats.js";

/** The directory of the cgroup in the hierarchy carrying `controller`, if it is mounted. */
export type V1DirOf = (controller: string) => string | undefined;

/** Reads v1 counters; memory.stat's total_* lines (this cgroup and its descendants), like cAdvisor. */
export async function readV1Stats(fs: CgroupFs, dirOf: V1DirOf): Promise<CgroupStats> {
  const read = async (controller: string, file: string) => {
    const dir = dirOf(controller);
    return dir === undefined ? undefined : readControl(fs, `${dir}/${file}`);
  };
  const cpuStat = parseFlatKeyed(await read("cpu", "cpu.stat"));
  const memStat = parseFlatKeyed(await read("memory", "memory.stat"));
  const usage = parseCounter(await read("memory", "memory.usage_in_bytes"));
  const memswUsage = parseCounter(await read("memory", "memory.memsw.usage_in_bytes"));
  const inactiveFile = parseCounter(memStat.get("total_inactive_file"));
  return {
    cpu: {
      usageNs: parseCounter(await read("cpuacct", "cpuacct.usage")),
      userNs: parseCounter(await read("cpuacct", "cpuacct.usage_user")),
      systemNs: parseCounter(await read("cpuacct", "cpuacct.usage_sys")),
      periods: parseCounter(cpuStat.get("nr_periods")),
      throttledPeriods: parseCounter(cpuStat.get("nr_throttled")),
      throttledNs: parseCounter(cpuStat.get("throttled_time")),
    },
    memory: {
      usageBytes: usage,
      workingSetBytes:
        usage === undefined || inactiveFile === undefined
          ? undefined
          : Math.max(usage - inactiveFile, 0),
      rssBytes: parseCounter(memStat.get("total_rss")),
      cacheBytes: parseCounter(memStat.get("total_cache")),
      swapBytes:
        usage === undefined || memswUsage === undefined
          ? undefined
          : Math.max(memswUsage - usage, 0),
      pageFaults: parseCounter(memStat.get("total_pgfault")),
      majorPageFaults: parseCounter(memStat.get("total_pgmajfault")),
      limitBytes: parseV1Limit(await read("memory", "memory.limit_in_bytes")),
      oomKills: parseCounter(
        parseFlatKeyed(await read("memory", "memory.oom_control")).get("oom_kill"),
      ),
    },
    pids: {
      current: parseCounter(await read("pids", "pids.current")),
      limit: parseCounter(await read("pids", "pids.max")),
    },
  };
}
