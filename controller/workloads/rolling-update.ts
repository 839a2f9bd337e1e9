import { allReplicaSets, scaleReplicaSet, type DeploymentState } from "./deployment-state.js";
import { newReplicaSetSize } from "./new-replicaset.js";
import {
  byCreation,
  effectiveAvailable,
  isActive,
  sumEffectiveAvailable,
  sumReplicas,
  type ReplicaSetView,
} from "./replicaset-view.js";

// Kubernetes' rolling.go, on ReplicaSet views. Availability is counted from the pods, and per
// ReplicaSet at most up to its spec.replicas (effectiveAvailable): the same number as
// status.availableReplicas once the ReplicaSet controller has caught up, and while a scale-down is
// still pending it does not count the pods about to go.

/** reconcileNewReplicaSet: grow the new ReplicaSet within maxSurge (or shrink it to replicas). */
export function reconcileNewReplicaSet(state: DeploymentState, newRS: ReplicaSetView): boolean {
  const desired = state.s.replicas;
  if (newRS.replicas === desired) return false;
  if (newRS.replicas > desired) return scaleReplicaSet(state, newRS, desired);
  return scaleReplicaSet(state, newRS, newReplicaSetSize(state, newRS));
}

/**
 * reconcileOldReplicaSets: shrink old ReplicaSets as far as availability allows, taking their
 * unhealthy replicas first so a broken old revision cannot block the rollout.
 */
export function reconcileOldReplicaSets(state: DeploymentState, newRS: ReplicaSetView): boolean {
  const oldRSs = state.oldRSs.filter(isActive);
  if (sumReplicas(oldRSs) === 0) return false;
  const minAvailable = state.s.replicas - state.s.maxUnavailable;
  const newUnavailable = newRS.replicas - effectiveAvailable(newRS);
  // Unavailable new pods must not let old ones go: a crash-looping new revision keeps the old up.
  const maxScaledDown = sumReplicas(allReplicaSets(state)) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = cleanupUnhealthyReplicas(state, oldRSs, maxScaledDown);
  const scaledDown = scaleDownOldReplicaSets(state, oldRSs);
  return cleaned + scaledDown > 0;
}

/** cleanupUnhealthyReplicas: drop old replicas that are not available, oldest ReplicaSet first. */
function cleanupUnhealthyReplicas(
  state: DeploymentState,
  oldRSs: ReplicaSetView[],
  maxCleanup: number,
): number {
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= maxCleanup) break;
    const unhealthy = rs.replicas - effectiveAvailable(rs);
    if (rs.replicas === 0 || unhealthy === 0) continue;
    const count = Math.min(maxCleanup - total, unhealthy);
    scaleReplicaSet(state, rs, rs.replicas - count);
    total += count;
  }
  return total;
}

/** scaleDownOldReplicaSetsForRollingUpdate: take only what keeps replicas − maxUnavailable up. */
function scaleDownOldReplicaSets(state: DeploymentState, oldRSs: ReplicaSetView[]): number {
  const minAvailable = state.s.replicas - state.s.maxUnavailable;
  const available = sumEffectiveAvailable(allReplicaSets(state));
  if (available <= minAvailable) return 0;
  const allowed = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= allowed) break;
    if (rs.replicas === 0) continue;
    const count = Math.min(rs.replicas, allowed - total);
    scaleReplicaSet(state, rs, rs.replicas - count);
    total += count;
  }
  return total;
}
