import { isDeepStrictEqual } from "node:util";
import type { Pod } from "../../kube/types.js";

/**
 * kubelet's podsDifferSemantically: whether an update of a pod asks the node to do anything —
 * its spec, labels, annotations or deletion changed. A change of status alone (most often the
 * node's own status write coming back through the watch) is not a reason to sync the pod again.
 */
export function podsDifferSemantically(existing: Pod, updated: Pod): boolean {
  const a = existing.metadata ?? {};
  const b = updated.metadata ?? {};
  return !(
    isDeepStrictEqual(existing.spec, updated.spec) &&
    isDeepStrictEqual(a.labels ?? {}, b.labels ?? {}) &&
    isDeepStrictEqual(a.annotations ?? {}, b.annotations ?? {}) &&
    a.deletionTimestamp === b.deletionTimestamp &&
    a.deletionGracePeriodSeconds === b.deletionGracePeriodSeconds
  );
}
