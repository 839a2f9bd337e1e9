import type { ContainerStats } from "../../../proto/gen/runtime/v1/ContainerStats.js";
import type { ContainerRecord } from "../records.js";
import type { RuntimeDeps } from "../runtime-deps.js";
import { sampleCgroup } from "./cgroup-sample.js";
import { criCpuUsage, criFilesystemUsage, criMemoryUsage } from "./cri-usage.js";
import { writableLayerUsage } from "./writable-layer-usage.js";

/** CPU and memory from the container's cgroup, disk from its overlay upper dir. */
export async function containerStats(
  deps: RuntimeDeps,
  c: ContainerRecord,
): Promise<ContainerStats> {
  const [sample, layer] = await Promise.all([
    sampleCgroup(deps.cgroups, deps.cpuRates, c.cgroup),
    writableLayerUsage(deps.paths.containerUpper(c.id)),
  ]);
  return {
    attributes: { id: c.id, metadata: c.metadata, labels: c.labels, annotations: c.annotations },
    cpu: criCpuUsage(sample),
    memory: criMemoryUsage(sample),
    writable_layer: layer ? criFilesystemUsage(layer, deps.paths.root) : null,
  };
}
