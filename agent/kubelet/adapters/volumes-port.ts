import { notFound } from "../../../lib/errors.js";
import type { Logger } from "../../../lib/logger.js";
import type { Pod } from "../../kube/types.js";
import { quantityValue } from "../spec/quantity.js";
import { containerResourceValue } from "../spec/resource-field-ref.js";
import type { VolumesPort } from "../sync/sync-ports.js";
import type { ResourceValue } from "../volumes/downward-api.js";
import { PodVolumes } from "../volumes/pod-volumes.js";
import type { VolumeObjectLookup } from "../volumes/volume-context.js";

export interface NodePodVolumesOptions {
  /** <root>/pods: one directory per pod uid. */
  podsRoot: string;
  lookup: VolumeObjectLookup;
  /** node.status.allocatable, read when a volume needs it. */
  allocatable: () => Record<string, string>;
  logger: Logger;
}

/**
 * The node's PodVolumes: downwardAPI resourceFieldRefs read as the env does (a limit the container
 * does not set is the node's allocatable), memory-backed volumes capped by allocatable memory.
 */
export function createNodePodVolumes(options: NodePodVolumesOptions): PodVolumes {
  const resourceValue: ResourceValue = (pod, containerName, resource, divisor) => {
    const container = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
      (c) => c.name === containerName,
    );
    if (!container) {
      throw notFound(`container ${JSON.stringify(containerName)} is not in the pod`, {
        field: "resourceFieldRef.containerName",
      });
    }
    return containerResourceValue(
      { containerName, resource, divisor },
      pod,
      container,
      options.allocatable(),
    );
  };
  return new PodVolumes({
    podsRoot: options.podsRoot,
    logger: options.logger,
    lookup: options.lookup,
    resourceValue,
    nodeAllocatableMemory: () => allocatableMemoryBytes(options.allocatable()),
  });
}

/** allocatable.memory in bytes; undefined when absent or unreadable. */
export function allocatableMemoryBytes(allocatable: Record<string, string>): number | undefined {
  const text = allocatable.memory;
  if (!text) return undefined;
  try {
    return Number(quantityValue(text, "allocatable.memory"));
  } catch {
    return undefined;
  }
}

/** The sync layer's VolumesPort over PodVolumes. */
export function createVolumesPort(volumes: PodVolumes): VolumesPort {
  return {
    setUp: (pod: Pod) => volumes.setUp(pod),
    tearDown: (uid: string) => volumes.tearDown(uid),
  };
}
