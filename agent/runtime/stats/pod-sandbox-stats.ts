import type { PodSandboxStats } from "../../../proto/gen/runtime/v1/PodSandboxStats.js";
import type { ContainerRecord, SandboxRecord } from "../records.js";
import type { RuntimeDeps } from "../runtime-deps.js";
import { sampleCgroup } from "./cgroup-sample.js";
import { containerStats } from "./container-stats.js";
import { criCpuUsage, criMemoryUsage, criProcessUsage } from "./cri-usage.js";

/**
 * A pod's usage is its pod cgroup's (every container is below it), with each container's own
 * stats. Network usage stays absent: pods have no interfaces but loopback until CNI exists.
 */
export async function podSandboxStats(
  deps: RuntimeDeps,
  s: SandboxRecord,
  containers: ContainerRecord[],
): Promise<PodSandboxStats> {
  const [sample, perContainer, processCount] = await Promise.all([
    sampleCgroup(deps.cgroups, deps.cpuRates, s.cgroup),
    Promise.all(containers.map((c) => containerStats(deps, c))),
    // Processes, not threads (pids.current counts threads): the CRI field is a process count.
    deps.cgroups.pids(s.cgroup).then(
      (pids) => pids.length,
      () => undefined,
    ),
  ]);
  return {
    attributes: {
      id: s.id,
      metadata: s.config.metadata,
      labels: s.config.labels,
      annotations: s.config.annotations,
    },
    linux: {
      cpu: criCpuUsage(sample),
      memory: criMemoryUsage(sample),
      process: criProcessUsage(sample, processCount),
      containers: perContainer,
    },
  };
}
