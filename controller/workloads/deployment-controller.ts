import type { KubeObject } from "../resources/kube-object.js";
import { isEmptySelector, labelSelectorMatches } from "../resources/validation/label-selector.js";
import { buildPlan, type DeploymentPlan } from "./deployment-plan.js";
import { readDeployment } from "./deployment-spec.js";
import {
  scaleReplicaSet,
  storedCollisionCount,
  storedConditions,
  storedCounts,
  type DeploymentState,
} from "./deployment-state.js";
import {
  calculateStatus,
  deploymentComplete,
  rolloutStatus,
  syncPausedCondition,
  type DeploymentStatus,
} from "./deployment-status.js";
import { cleanupOldRevisions } from "./history-cleanup.js";
import {
  createNewReplicaSet,
  findNewReplicaSet,
  syncNewReplicaSetRevision,
} from "./new-replicaset.js";
import { claimObjects, newControllerRef } from "./owner-refs.js";
import { isScalingEvent, scaleProportionally } from "./proportional-scale.js";
import { oldPodsRunning, scaleDownOldForRecreate } from "./recreate.js";
import { viewOf } from "./replicaset-view.js";
import { reconcileNewReplicaSet, reconcileOldReplicaSets } from "./rolling-update.js";

/**
 * One pass of the Deployment controller (Kubernetes' syncDeployment) over d, the ReplicaSets of
 * its namespace and their pods, at time now. Pure: the caller performs the plan. Counts come from
 * the pods given (not from ReplicaSet statuses), so they are as fresh as the caller's pod list.
 */
export function reconcileDeployment(
  d: KubeObject,
  replicaSets: KubeObject[],
  pods: KubeObject[],
  now: Date,
): DeploymentPlan {
  const s = readDeployment(d);
  const state: DeploymentState = {
    d,
    s,
    now,
    namespaceReplicaSets: replicaSets,
    owned: [],
    oldRSs: [],
    stored: storedCounts(d),
    conditions: storedConditions(d),
    collisionCount: storedCollisionCount(d),
    deleteNames: [],
    collided: false,
  };
  if (isEmptySelector(s.selector)) {
    // Selecting everything would claim every ReplicaSet in the namespace: do nothing but observe.
    const observedGeneration = Math.max(state.stored.observedGeneration, s.generation);
    return buildPlan(state, { adopt: [], release: [] }, heldStatus(state, observedGeneration));
  }
  const claim = claimObjects(
    d,
    replicaSets,
    (rs) => labelSelectorMatches(s.selector, rs.metadata?.labels ?? {}),
    newControllerRef(d, "apps/v1", "Deployment"),
  );
  state.owned = [...claim.owned, ...claim.adopt].map((rs) => viewOf(rs, pods, now));
  state.newRS = findNewReplicaSet(state.owned, s.template);
  state.oldRSs = state.owned.filter((rs) => rs !== state.newRS);
  if (!s.deleting) syncPausedCondition(state);
  syncNewReplicaSetRevision(state);
  const status = sync(state);
  return buildPlan(state, claim, state.collided ? heldStatus(state) : status);
}

function sync(state: DeploymentState): DeploymentStatus {
  const { s } = state;
  if (s.deleting) return calculateStatus(state);
  if (s.paused) {
    scaleProportionally(state);
    cleanupOldRevisions(state);
    return calculateStatus(state);
  }
  if (isScalingEvent(state)) {
    scaleProportionally(state);
    return calculateStatus(state);
  }
  return s.strategy === "Recreate" ? rolloutRecreate(state) : rolloutRolling(state);
}

/** rolloutRolling: grow the new ReplicaSet, else shrink the old ones, else tidy up. */
function rolloutRolling(state: DeploymentState): DeploymentStatus {
  const newRS = createNewReplicaSet(state);
  if (!newRS) return calculateStatus(state);
  if (reconcileNewReplicaSet(state, newRS)) return rolloutStatus(state);
  if (reconcileOldReplicaSets(state, newRS)) return rolloutStatus(state);
  if (deploymentComplete(state, state.stored)) cleanupOldRevisions(state);
  return rolloutStatus(state);
}

/** rolloutRecreate: all old down, wait for their pods to be gone, then the new one up. */
function rolloutRecreate(state: DeploymentState): DeploymentStatus {
  if (scaleDownOldForRecreate(state)) return rolloutStatus(state);
  if (oldPodsRunning(state)) return rolloutStatus(state);
  const newRS = createNewReplicaSet(state);
  if (!newRS) return calculateStatus(state);
  scaleReplicaSet(state, newRS, state.s.replicas);
  if (deploymentComplete(state, state.stored)) cleanupOldRevisions(state);
  return rolloutStatus(state);
}

/** The stored status with only the pass's condition and collisionCount changes. */
function heldStatus(state: DeploymentState, observedGeneration?: number): DeploymentStatus {
  const status: DeploymentStatus = {
    ...state.stored,
    conditions: state.conditions,
  };
  if (observedGeneration !== undefined) status.observedGeneration = observedGeneration;
  if (state.collisionCount !== undefined) status.collisionCount = state.collisionCount;
  return status;
}
