import type { CpuUsage } from "../../../proto/gen/runtime/v1/CpuUsage.js";
import type { FilesystemUsage } from "../../../proto/gen/runtime/v1/FilesystemUsage.js";
import type { MemoryUsage } from "../../../proto/gen/runtime/v1/MemoryUsage.js";
import type { ProcessUsage } from "../../../proto/gen/runtime/v1/ProcessUsage.js";
import type { UInt64Value } from "../../../proto/gen/runtime/v1/UInt64Value.js";
import type { CgroupSample } from "./cgroup-sample.js";
import type { LayerUsage } from "./writable-layer-usage.js";

/** A counter the host could not provide stays absent (null), never a made-up 0. */
export function uint64(n: number | undefined): UInt64Value | null {
  return n === undefined ? null : { value: String(Math.max(0, Math.round(n))) };
}

export function criCpuUsage(s: CgroupSample): CpuUsage {
  return {
    timestamp: s.timestamp,
    usage_core_nano_seconds: uint64(s.stats.cpu.usageNs),
    usage_nano_cores: uint64(s.usageNanoCores),
  };
}

/** available_bytes is limit − working set, as the kubelet's eviction manager reads it; absent when unlimited. */
export function criMemoryUsage(s: CgroupSample): MemoryUsage {
  const m = s.stats.memory;
  const available =
    m.limitBytes === undefined || m.workingSetBytes === undefined
      ? undefined
      : Math.max(m.limitBytes - m.workingSetBytes, 0);
  return {
    timestamp: s.timestamp,
    working_set_bytes: uint64(m.workingSetBytes),
    available_bytes: uint64(available),
    usage_bytes: uint64(m.usageBytes),
    rss_bytes: uint64(m.rssBytes),
    page_faults: uint64(m.pageFaults),
    major_page_faults: uint64(m.majorPageFaults),
  };
}

export function criProcessUsage(s: CgroupSample, processCount: number | undefined): ProcessUsage {
  return { timestamp: s.timestamp, process_count: uint64(processCount) };
}

/** `mountpoint` names the filesystem as ImageFsInfo's container_filesystems does. */
export function criFilesystemUsage(u: LayerUsage, mountpoint: string): FilesystemUsage {
  return {
    timestamp: u.timestamp,
    fs_id: { mountpoint },
    used_bytes: uint64(u.usedBytes),
    inodes_used: uint64(u.inodesUsed),
  };
}
