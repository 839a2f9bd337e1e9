import { promises as fs } from "node:fs";
import type { RuntimeDeps } from "../runtime/runtime-deps.js";
import { sampleCgroup } from "../runtime/stats/cgroup-sample.js";
import { readMeminfo } from "./node/host-resources.js";
import { readNetworkStats, type InterfaceStats } from "./pod-network-stats.js";

export interface CpuStats {
  time: string;
  usageNanoCores?: number;
  usageCoreNanoSeconds?: number;
}

export interface MemoryStats {
  time: string;
  availableBytes?: number;
  usageBytes?: number;
  workingSetBytes?: number;
  rssBytes?: number;
  pageFaults?: number;
  majorPageFaults?: number;
}

export interface FsStats {
  time: string;
  availableBytes: number;
  capacityBytes: number;
  usedBytes: number;
  inodesFree: number;
  inodes: number;
  inodesUsed: number;
}

export interface NodeStats {
  nodeName: string;
  /** When the machine booted. */
  startTime: string;
  cpu: CpuStats;
  memory: MemoryStats;
  network?: { time: string; interfaces: InterfaceStats[] } & Partial<InterfaceStats>;
  /** The filesystem of the agent's root (ephemeral storage). */
  fs: FsStats;
  runtime: { imageFs: FsStats };
}

/**
 * The node's part of the Summary: CPU from the root cgroup (with the runtime's rate cache, so
 * usageNanoCores is the rate since the previous request), memory from /proc/meminfo as cAdvisor
 * reads the machine (working set = total − available), the root's filesystem (images live there
 * too), and the host's interfaces.
 */
export async function nodeStats(options: {
  nodeName: string;
  runtime: Pick<RuntimeDeps, "cgroups" | "cpuRates" | "paths">;
}): Promise<NodeStats> {
  const { runtime } = options;
  const time = new Date().toISOString();
  const [cpu, meminfo, rootFs, uptime, interfaces] = await Promise.all([
    sampleCgroup(runtime.cgroups, runtime.cpuRates, "/").catch(() => undefined),
    readMeminfo(),
    filesystemStats(runtime.paths.root, time),
    fs.readFile("/proc/uptime", "utf8"),
    readNetworkStats(process.pid),
  ]);
  const total = meminfo.get("MemTotal")!;
  const available = meminfo.get("MemAvailable") ?? meminfo.get("MemFree") ?? 0;
  const bootMs = Date.now() - Number.parseFloat(uptime) * 1000;
  const stats: NodeStats = {
    nodeName: options.nodeName,
    startTime: new Date(bootMs).toISOString().replace(/\.\d+Z$/, "Z"),
    cpu: {
      time,
      usageNanoCores: cpu?.usageNanoCores,
      usageCoreNanoSeconds: cpu?.stats.cpu.usageNs,
    },
    memory: {
      time,
      availableBytes: available,
      usageBytes: total - (meminfo.get("MemFree") ?? 0),
      workingSetBytes: Math.max(total - available, 0),
      rssBytes: meminfo.get("AnonPages"),
    },
    fs: rootFs,
    runtime: { imageFs: rootFs },
  };
  if (interfaces && interfaces.length > 0) {
    stats.network = { time, ...interfaces[0], interfaces };
  }
  return stats;
}

async function filesystemStats(dir: string, time: string): Promise<FsStats> {
  const s = await fs.statfs(dir);
  return {
    time,
    availableBytes: s.bsize * s.bavail,
    capacityBytes: s.bsize * s.blocks,
    usedBytes: s.bsize * (s.blocks - s.bfree),
    inodesFree: s.ffree,
    inodes: s.files,
    inodesUsed: s.files - s.ffree,
  };
}
