import type { KubeObject } from "../resources/kube-object.js";
import {
  isPodReady,
  maxContainerRestarts,
  podNodeName,
  podPhase,
  podReadySince,
} from "./pod-state.js";

// Pending < Unknown < Running; any other phase ranks with Pending, as Go's map lookup gives 0.
const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** Zero (unknown) times count as the newest, as afterOrZero does. */
function newerFirst(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return b - a;
}

function createdAt(pod: KubeObject): number | undefined {
  const at = Date.parse(pod.metadata?.creationTimestamp ?? "");
  return Number.isNaN(at) ? undefined : at;
}

/**
 * Kubernetes' ActivePods order, cheapest to lose first: unassigned before assigned, Pending
 * before Unknown before Running, not ready before ready, ready for less time before longer, more
 * restarts before fewer, newer before older.
 */
export function compareForDeletion(a: KubeObject, b: KubeObject): number {
  const nodeA = podNodeName(a);
  const nodeB = podNodeName(b);
  if (nodeA !== nodeB && (nodeA === "" || nodeB === "")) return nodeA === "" ? -1 : 1;
  const phaseA = phaseRank[podPhase(a)] ?? 0;
  const phaseB = phaseRank[podPhase(b)] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  const readyA = isPodReady(a);
  const readyB = isPodReady(b);
  if (readyA !== readyB) return readyA ? 1 : -1;
  if (readyA) {
    const byReadyTime = newerFirst(podReadySince(a), podReadySince(b));
    if (byReadyTime !== 0) return byReadyTime;
  }
  const restarts = maxContainerRestarts(b) - maxContainerRestarts(a);
  if (restarts !== 0) return restarts;
  return newerFirst(createdAt(a), createdAt(b));
}

/** The count pods to delete first (all of them, unsorted, when every pod goes). */
export function podsToDelete(pods: KubeObject[], count: number): KubeObject[] {
  if (count >= pods.length) return [...pods];
  return [...pods].sort(compareForDeletion).slice(0, Math.max(0, count));
}
