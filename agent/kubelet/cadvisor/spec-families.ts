import { spec, type ContainerFamily } from "./family.js";

/** Settings and start time, without timestamps, as cAdvisor reports a container's spec. */
export const specFamilies: ContainerFamily[] = [
  spec(
    "container_start_time_seconds",
    "Start time of the container since unix epoch in seconds.",
    (s) => s.startTimeSeconds,
  ),
  spec("container_spec_cpu_period", "CPU period of the container.", (s) => s.cpuSpec.periodUs),
  // Absent without a quota, as in cAdvisor.
  spec("container_spec_cpu_quota", "CPU quota of the container.", (s) => s.cpuSpec.quotaUs),
  spec("container_spec_cpu_shares", "CPU share of the container.", (s) => s.cpuSpec.shares),
  // Unlimited is 0, as cAdvisor reports it; absent where the memory controller was not readable.
  spec("container_spec_memory_limit_bytes", "Memory limit for the container.", (s) =>
    s.stats.memory.usageBytes === undefined ? undefined : (s.stats.memory.limitBytes ?? 0),
  ),
];
