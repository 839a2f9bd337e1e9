import type { Container, Pod } from "../../kube/types.js";
import { quantityValue } from "../spec/quantity.js";

/**
 * The size of a memory-backed (tmpfs) volume, as kubelet sizes it: the node's allocatable memory,
 * lowered to the pod's memory limit when every container has one, lowered again to the volume's
 * sizeLimit; non-positive values are ignored. Undefined when nothing bounds it (tmpfs's own default).
 */
export function memoryVolumeSize(
  pod: Pod,
  sizeLimit: string | undefined,
  nodeAllocatableBytes: number | undefined,
  field: string,
): number | undefined {
  let size = nodeAllocatableBytes && nodeAllocatableBytes > 0 ? nodeAllocatableBytes : undefined;
  const podLimit = podMemoryLimit(pod);
  if (podLimit !== undefined && podLimit > 0 && (size === undefined || podLimit <= size)) {
    size = podLimit;
  }
  if (sizeLimit !== undefined) {
    const limit = quantityBytes(sizeLimit, `${field}.sizeLimit`);
    if (limit > 0 && (size === undefined || limit <= size)) size = limit;
  }
  return size;
}

/**
 * A pod's effective memory limit, as its cgroup gets it: the app containers (and sidecars) added
 * up, or the largest init container if that is more, plus the pod overhead. Undefined when any
 * container has no memory limit, since the pod is then unbounded.
 */
export function podMemoryLimit(pod: Pod): number | undefined {
  const limitOf = (c: Container) => c.resources?.limits?.memory;
  const spec = pod.spec;
  if (!spec) return undefined;
  const all = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  if (all.length === 0 || all.some((c) => limitOf(c) === undefined)) return undefined;
  const bytes = (c: Container) => quantityBytes(limitOf(c), `container ${c.name} memory limit`);
  const sidecars = (spec.initContainers ?? []).filter((c) => c.restartPolicy === "Always");
  const running = [...(spec.containers ?? []), ...sidecars].reduce((sum, c) => sum + bytes(c), 0);
  const largestInit = (spec.initContainers ?? [])
    .filter((c) => c.restartPolicy !== "Always")
    .reduce((max, c) => Math.max(max, bytes(c)), 0);
  const overhead = spec.overhead?.memory ? quantityBytes(spec.overhead.memory, "spec.overhead") : 0;
  return Math.max(running, largestInit) + overhead;
}

/** A quantity in whole bytes, rounded up as Quantity.Value() does. */
function quantityBytes(raw: string | number | undefined, field: string): number {
  return Number(quantityValue(String(raw), field));
}
