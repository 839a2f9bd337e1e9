import type { CgroupSample } from "./cgroup-sample.js";
import { seconds, usage, type ContainerFamily } from "./family.js";

const hasQuota = (s: CgroupSample) => s.cpuSpec.quotaUs !== undefined;

/** CPU, memory, OOM, disk and task usage, named and described as cAdvisor does. */
export const usageFamilies: ContainerFamily[] = [
  {
    name: "container_cpu_usage_seconds_total",
    help: "Cumulative cpu time consumed in seconds.",
    type: "counter",
    timestamped: true,
    // The kubelet turns per-CPU usage off: one series, cpu="total", left out while still 0.
    extraLabel: "cpu",
    values: (s) =>
      s.stats.cpu.usageNs ? [{ value: s.stats.cpu.usageNs / 1e9, extra: "total" }] : [],
  },
  usage(
    "container_cpu_user_seconds_total",
    "Cumulative user cpu time consumed in seconds.",
    "counter",
    (s) => seconds(s.stats.cpu.userNs),
  ),
  usage(
    "container_cpu_system_seconds_total",
    "Cumulative system cpu time consumed in seconds.",
    "counter",
    (s) => seconds(s.stats.cpu.systemNs),
  ),
  usage(
    "container_cpu_cfs_periods_total",
    "Number of elapsed enforcement period intervals.",
    "counter",
    (s) => (hasQuota(s) ? s.stats.cpu.periods : undefined),
  ),
  usage(
    "container_cpu_cfs_throttled_periods_total",
    "Number of throttled period intervals.",
    "counter",
    (s) => (hasQuota(s) ? s.stats.cpu.throttledPeriods : undefined),
  ),
  usage(
    "container_cpu_cfs_throttled_seconds_total",
    "Total time duration the container has been throttled.",
    "counter",
    (s) => (hasQuota(s) ? seconds(s.stats.cpu.throttledNs) : undefined),
  ),
  usage(
    "container_memory_cache",
    "Number of bytes of page cache memory.",
    "gauge",
    (s) => s.stats.memory.cacheBytes,
  ),
  usage("container_memory_rss", "Size of RSS in bytes.", "gauge", (s) => s.stats.memory.rssBytes),
  usage(
    "container_memory_swap",
    "Container swap usage in bytes.",
    "gauge",
    (s) => s.stats.memory.swapBytes,
  ),
  usage(
    "container_memory_usage_bytes",
    "Current memory usage in bytes, including all memory regardless of when it was accessed",
    "gauge",
    (s) => s.stats.memory.usageBytes,
  ),
  usage(
    "container_memory_working_set_bytes",
    "Current working set in bytes.",
    "gauge",
    (s) => s.stats.memory.workingSetBytes,
  ),
  usage(
    "container_oom_events_total",
    "Count of out of memory events observed for the container",
    "counter",
    (s) => s.stats.memory.oomKills,
  ),
  {
    name: "container_fs_usage_bytes",
    help: "Number of bytes that are consumed by the container on this filesystem.",
    type: "gauge",
    timestamped: true,
    extraLabel: "device",
    values: (s) => (s.fs ? [{ value: s.fs.usageBytes, extra: s.fs.device }] : []),
  },
  usage(
    "container_processes",
    "Number of processes running inside the container.",
    "gauge",
    (s) => s.processes,
  ),
  usage(
    "container_threads",
    "Number of threads running inside the container",
    "gauge",
    (s) => s.stats.pids.current,
  ),
  // 0 is "no limit", as in cAdvisor; shown only where the pids controller could be read.
  usage(
    "container_threads_max",
    "Maximum number of threads allowed inside the container, infinity if value is zero",
    "gauge",
    (s) => (s.stats.pids.current === undefined ? undefined : (s.stats.pids.limit ?? 0)),
  ),
  usage("container_last_seen", "Last time a container was seen by the exporter", "gauge", (s) =>
    Math.floor(s.timestampMs / 1000),
  ),
];
