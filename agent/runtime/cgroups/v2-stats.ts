import type { CgroupFs } from "./cgroup-fs.js";
import { parseCounter, parseFlatKeyed, readControl } from "./control-files.js";
import type { CgroupStats } from "./stats.js";

/** Reads v2 counters of the cgroup at `dir` (all hierarchical in v2). */
export async function readV2Stats(fs: CgroupFs, dir: string): Promise<CgroupStats> {
  const read = (file: string) => readControl(fs, `${dir}/${file}`);
  const cpuStat = parseFlatKeyed(await read("cpu.stat"));
  const memStat = parseFlatKeyed(await read("memory.stat"));
  const usage = parseCounter(await read("memory.current"));
  const inactiveFile = parseCounter(memStat.get("inactive_file"));
  const usec = (key: string) => {
    const v = parseCounter(cpuStat.get(key));
    return v === undefined ? undefined : v * 1000;
  };
  return {
    cpu: {
      usageNs: usec("usage_usec"),
      userNs: usec("user_usec"),
      systemNs: usec("system_usec"),
      periods: parseCounter(cpuStat.get("nr_periods")),
      throttledPeriods: parseCounter(cpuStat.get("nr_throttled")),
      throttledNs: usec("throttled_usec"),
    },
    memory: {
      usageBytes: usage,
      workingSetBytes:
        usage === undefined || inactiveFile === undefined
          ? undefined
          : Math.max(usage - inactiveFile, 0),
      rssBytes: parseCounter(memStat.get("anon")),
      cacheBytes: parseCounter(memStat.get("file")),
      swapBytes: parseCounter(await read("memory.swap.current")),
      pageFaults: parseCounter(memStat.get("pgfault")),
      majorPageFaults: parseCounter(memStat.get("pgmajfault")),
      limitBytes: parseCounter(await read("memory.max")),
      oomKills: parseCounter(parseFlatKeyed(await read("memory.events")).get("oom_kill")),
    },
    pids: {
      current: parseCounter(await read("pids.current")),
      limit: parseCounter(await read("pids.max")),
    },
  };
}
