import { objectAt } from "../resources/json-access.js";
import {
  apiTime,
  findCondition,
  readConditions,
  removeCondition,
  setCondition,
  type WorkloadCondition,
} from "./conditions.js";
import { allReplicaSets, type DeploymentState, type StatusCounts } from "./deployment-state.js";
import { progressing } from "./new-replicaset.js";
import { sumReplicas } from "./replicaset-view.js";

/** apps/v1 DeploymentStatus, as `kubectl rollout status` reads it. */
export interface DeploymentStatus extends StatusCounts {
  conditions: WorkloadCondition[];
  collisionCount?: number;
}

export const reasons = {
  newReplicaSetAvailable: "NewReplicaSetAvailable",
  replicaSetUpdated: "ReplicaSetUpdated",
  timedOut: "ProgressDeadlineExceeded",
  paused: "DeploymentPaused",
  resumed: "DeploymentResumed",
} as const;

function condition(
  state: DeploymentState,
  type: string,
  status: WorkloadCondition["status"],
  reason: string,
  message: string,
): WorkloadCondition {
  const at = apiTime(state.now);
  return { type, status, lastUpdateTime: at, lastTransitionTime: at, reason, message };
}

/** DeploymentComplete: every desired replica updated and available, nothing old left. */
export function deploymentComplete(state: DeploymentState, status: StatusCounts): boolean {
  const { replicas, generation } = state.s;
  return (
    status.updatedReplicas === replicas &&
    status.replicas === replicas &&
    status.availableReplicas === replicas &&
    status.observedGeneration >= generation
  );
}

/** calculateStatus: counts from the ReplicaSets' pods, and the Available condition. */
export function calculateStatus(state: DeploymentState): DeploymentStatus {
  const all = allReplicaSets(state);
  const sum = (pick: (c: (typeof all)[number]["pods"]["counts"]) => number) =>
    all.reduce((n, rs) => n + pick(rs.pods.counts), 0);
  const available = sum((c) => c.availableReplicas);
  const status: DeploymentStatus = {
    observedGeneration: state.s.generation,
    replicas: sum((c) => c.replicas),
    updatedReplicas: state.newRS?.pods.counts.replicas ?? 0,
    readyReplicas: sum((c) => c.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sumReplicas(all) - available),
    conditions: [...state.conditions],
  };
  if (state.collisionCount !== undefined) status.collisionCount = state.collisionCount;
  const minAvailable = state.s.replicas - state.s.maxUnavailable;
  status.conditions = setCondition(
    status.conditions,
    available >= minAvailable
      ? condition(
          state,
          "Available",
          "True",
          "MinimumReplicasAvailable",
          "Deployment has minimum availability.",
        )
      : condition(
          state,
          "Available",
          "False",
          "MinimumReplicasUnavailable",
          "Deployment does not have minimum availability.",
        ),
  );
  return status;
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available than stored. */
function madeProgress(stored: StatusCounts, next: StatusCounts): boolean {
  return (
    next.updatedReplicas > stored.updatedReplicas ||
    next.replicas - next.updatedReplicas < stored.replicas - stored.updatedReplicas ||
    next.readyReplicas > stored.readyReplicas ||
    next.availableReplicas > stored.availableReplicas
  );
}

/** When the Progressing condition last saw progress, in ms. */
export function lastProgressAt(cond: WorkloadCondition): number {
  const at = Date.parse(cond.lastUpdateTime || cond.lastTransitionTime);
  return Number.isNaN(at) ? 0 : at;
}

/** DeploymentTimedOut: no progress for longer than progressDeadlineSeconds. */
function timedOut(state: DeploymentState, status: DeploymentStatus): boolean {
  const deadline = state.s.progressDeadlineSeconds;
  const cond = findCondition(status.conditions, progressing);
  if (deadline === undefined || !cond || cond.reason === reasons.newReplicaSetAvailable)
    return false;
  if (cond.reason === reasons.timedOut) return true;
  return lastProgressAt(cond) + deadline * 1000 < state.now.getTime();
}

/**
 * syncRolloutStatus: the status during a rollout, with the Progressing condition judged against
 * the stored status (complete, progressing, or out of time) and ReplicaSet failures surfaced.
 */
export function rolloutStatus(state: DeploymentState): DeploymentStatus {
  const status = calculateStatus(state);
  const hasDeadline = state.s.progressDeadlineSeconds !== undefined;
  if (!hasDeadline) status.conditions = removeCondition(status.conditions, progressing);
  const current = findCondition(state.conditions, progressing);
  const alreadyComplete =
    status.replicas === status.updatedReplicas &&
    current?.reason === reasons.newReplicaSetAvailable;
  const subject = state.newRS ? `ReplicaSet "${state.newRS.name}"` : `Deployment "${state.s.name}"`;
  if (hasDeadline && !alreadyComplete) {
    if (deploymentComplete(state, status)) {
      status.conditions = setCondition(
        status.conditions,
        condition(
          state,
          progressing,
          "True",
          reasons.newReplicaSetAvailable,
          `${subject} has successfully progressed.`,
        ),
      );
    } else if (madeProgress(state.stored, status)) {
      // Unlike other conditions, every sign of progress moves lastUpdateTime.
      const next = condition(
        state,
        progressing,
        "True",
        reasons.replicaSetUpdated,
        `${subject} is progressing.`,
      );
      if (current?.status === "True") next.lastTransitionTime = current.lastTransitionTime;
      status.conditions = [...removeCondition(status.conditions, progressing), next];
    } else if (timedOut(state, status)) {
      status.conditions = setCondition(
        status.conditions,
        condition(
          state,
          progressing,
          "False",
          reasons.timedOut,
          `${subject} has timed out progressing.`,
        ),
      );
    }
  }
  const failure = replicaFailure(state);
  status.conditions = failure
    ? setCondition(status.conditions, failure)
    : removeCondition(status.conditions, "ReplicaFailure");
  return status;
}

/** The new ReplicaSet's ReplicaFailure condition, else the first old one's, as a Deployment's. */
function replicaFailure(state: DeploymentState): WorkloadCondition | undefined {
  const ordered = state.newRS ? [state.newRS, ...state.oldRSs] : state.oldRSs;
  for (const rs of ordered) {
    const cond = findCondition(
      readConditions(objectAt(rs.object.status)?.conditions),
      "ReplicaFailure",
    );
    if (cond) return { ...cond, lastUpdateTime: cond.lastTransitionTime };
  }
  return undefined;
}

/**
 * checkPausedConditions: Progressing=Unknown while paused and right after resuming, so time
 * spent paused never counts against the progress deadline. A timeout already reported stays.
 */
export function syncPausedCondition(state: DeploymentState): void {
  if (state.s.progressDeadlineSeconds === undefined) return;
  const cond = findCondition(state.conditions, progressing);
  if (cond?.reason === reasons.timedOut) return;
  const pausedNoted = cond?.reason === reasons.paused;
  if (state.s.paused && !pausedNoted) {
    state.conditions = setCondition(
      state.conditions,
      condition(state, progressing, "Unknown", reasons.paused, "Deployment is paused"),
    );
  } else if (!state.s.paused && pausedNoted) {
    state.conditions = setCondition(
      state.conditions,
      condition(state, progressing, "Unknown", reasons.resumed, "Deployment is resumed"),
    );
  }
}
