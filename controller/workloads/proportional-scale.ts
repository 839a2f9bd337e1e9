import {
  allReplicaSets,
  scaleReplicaSet,
  setReplicaSetSize,
  type DeploymentState,
} from "./deployment-state.js";
import {
  effectiveAvailable,
  isActive,
  sumReplicas,
  type ReplicaSetView,
} from "./replicaset-view.js";
import { desiredReplicasAnnotation, intAnnotation, maxReplicasAnnotation } from "./revisions.js";

/**
 * isScalingEvent: some active ReplicaSet was sized for a different spec.replicas than the
 * Deployment asks now.
 */
export function isScalingEvent(state: DeploymentState): boolean {
  return allReplicaSets(state)
    .filter(isActive)
    .some((rs) => {
      const desired = intAnnotation(rs, desiredReplicasAnnotation);
      return desired !== undefined && desired !== state.s.replicas;
    });
}

/** IsSaturated: the new ReplicaSet holds, and has available, every desired replica. */
function isSaturated(state: DeploymentState, rs: ReplicaSetView | undefined): boolean {
  if (!rs) return false;
  const want = state.s.replicas;
  return (
    rs.replicas === want &&
    intAnnotation(rs, desiredReplicasAnnotation) === want &&
    effectiveAvailable(rs) === want
  );
}

/** FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active. */
function activeOrLatest(state: DeploymentState): ReplicaSetView | undefined {
  const oldNewestFirst = [...state.oldRSs].sort((a, b) => b.createdAt - a.createdAt);
  const active = allReplicaSets(state).filter(isActive);
  if (active.length === 0) return state.newRS ?? oldNewestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

// Go's math.Round: halves away from zero.
function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** getReplicaSetFraction: rs's share of the change, from the size it was given for max-replicas. */
function fraction(state: DeploymentState, rs: ReplicaSetView): number {
  if (state.s.replicas === 0) return -rs.replicas;
  const target = state.s.replicas + state.s.maxSurge;
  const annotated = intAnnotation(rs, maxReplicasAnnotation) ?? state.stored.replicas;
  if (annotated <= 0) return 0;
  return roundHalfAway((rs.replicas * target) / annotated) - rs.replicas;
}

/**
 * scale: on a change of spec.replicas (or while paused) resize without rolling: the only active
 * ReplicaSet takes it all; a saturated new one retires the old; otherwise, for rolling updates,
 * every active ReplicaSet grows or shrinks in proportion to its size, the leftover going to the
 * largest, so a rollout keeps its shape (and its surge allowance) while it is resized.
 */
export function scaleProportionally(state: DeploymentState): void {
  const { s } = state;
  const only = activeOrLatest(state);
  if (only) {
    scaleReplicaSet(state, only, s.replicas);
    return;
  }
  if (isSaturated(state, state.newRS)) {
    for (const rs of state.oldRSs.filter(isActive)) scaleReplicaSet(state, rs, 0);
    return;
  }
  if (s.strategy !== "RollingUpdate") return;
  const active = allReplicaSets(state).filter(isActive);
  const allowed = s.replicas > 0 ? s.replicas + s.maxSurge : 0;
  const toAdd = allowed - sumReplicas(active);
  // Ties: grow the newest first, shrink the oldest first.
  active.sort(
    (a, b) =>
      b.replicas - a.replicas ||
      (toAdd > 0 ? b.createdAt - a.createdAt : a.createdAt - b.createdAt),
  );
  const sizes = new Map<ReplicaSetView, number>();
  let added = 0;
  for (const rs of active) {
    let share = 0;
    if (toAdd !== 0 && toAdd !== added) {
      const remaining = toAdd - added;
      share =
        toAdd > 0
          ? Math.min(fraction(state, rs), remaining)
          : Math.max(fraction(state, rs), remaining);
    }
    sizes.set(rs, rs.replicas + share);
    added += share;
  }
  active.forEach((rs, i) => {
    let size = sizes.get(rs) ?? rs.replicas;
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    setReplicaSetSize(state, rs, size);
  });
}
