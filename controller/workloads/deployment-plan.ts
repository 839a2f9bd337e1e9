import type { KubeObject } from "../resources/kube-object.js";
import { findCondition } from "./conditions.js";
import type { DeploymentState } from "./deployment-state.js";
import {
  deploymentComplete,
  lastProgressAt,
  reasons,
  type DeploymentStatus,
} from "./deployment-status.js";
import { progressing } from "./new-replicaset.js";
import type { ReplicaSetView } from "./replicaset-view.js";
import {
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  revisionAnnotation,
} from "./revisions.js";

/** A resize of an existing ReplicaSet; annotations are keys to merge, others stay. */
export interface ReplicaSetScale {
  name: string;
  replicas: number;
  annotations?: Record<string, string>;
}

/**
 * The new ReplicaSet's bookkeeping: revision (and revision-history on a rollback), the
 * Deployment's copied annotations, minReadySeconds. Annotations are keys to merge.
 */
export interface ReplicaSetRevisionBump {
  name: string;
  annotations: Record<string, string>;
  minReadySeconds?: number;
}

export interface DeploymentPlan {
  /** Matching orphan ReplicaSets to take: copies already carrying the controller ref. */
  adopt: KubeObject[];
  /** Controlled ReplicaSets the selector no longer matches: copies without the ref. */
  release: KubeObject[];
  /** The new ReplicaSet to POST, when the template has none yet. */
  createReplicaSet?: KubeObject;
  revisionBumps: ReplicaSetRevisionBump[];
  scale: ReplicaSetScale[];
  /** Old ReplicaSets (names) beyond revisionHistoryLimit, all at 0 replicas: delete them. */
  delete: string[];
  /** The Deployment's deployment.kubernetes.io/revision annotation, when it must change. */
  deploymentRevision?: string;
  /** The status to write through the status subresource. */
  status: DeploymentStatus;
  /** When to run again even if nothing changes (minReadySeconds, the progress deadline). */
  recheckAt?: Date;
}

const scaleKeys = new Set([desiredReplicasAnnotation, maxReplicasAnnotation]);

function changedAnnotations(
  rs: ReplicaSetView,
  wanted: (key: string) => boolean,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(rs.annotations)) {
    if (wanted(key) && rs.storedAnnotations[key] !== value) out[key] = value;
  }
  return out;
}

function replicaSetChanges(rs: ReplicaSetView): {
  scale?: ReplicaSetScale;
  bump?: ReplicaSetRevisionBump;
} {
  const out: { scale?: ReplicaSetScale; bump?: ReplicaSetRevisionBump } = {};
  const scaleAnnotations = changedAnnotations(rs, (k) => scaleKeys.has(k));
  if (rs.replicas !== rs.storedReplicas || Object.keys(scaleAnnotations).length > 0) {
    out.scale = { name: rs.name, replicas: rs.replicas };
    if (Object.keys(scaleAnnotations).length > 0) out.scale.annotations = scaleAnnotations;
  }
  const bumpAnnotations = changedAnnotations(rs, (k) => !scaleKeys.has(k));
  const minReadyChanged = rs.minReadySeconds !== rs.storedMinReadySeconds;
  if (Object.keys(bumpAnnotations).length > 0 || minReadyChanged) {
    out.bump = { name: rs.name, annotations: bumpAnnotations };
    if (minReadyChanged) out.bump.minReadySeconds = rs.minReadySeconds;
  }
  return out;
}

/** The pending new ReplicaSet as it is to be created: its final size and annotations. */
function objectToCreate(rs: ReplicaSetView): KubeObject {
  const object = structuredClone(rs.object);
  object.metadata = { ...object.metadata, annotations: { ...rs.annotations } };
  object.spec = { ...(object.spec as object), replicas: rs.replicas };
  return object;
}

function recheckAt(state: DeploymentState, status: DeploymentStatus): Date | undefined {
  const times: number[] = [];
  for (const rs of state.owned) {
    if (rs.pods.counts.nextAvailableAt !== undefined) times.push(rs.pods.counts.nextAvailableAt);
  }
  const deadline = state.s.progressDeadlineSeconds;
  const cond = findCondition(status.conditions, progressing);
  const judged = [reasons.newReplicaSetAvailable, reasons.timedOut, reasons.paused] as string[];
  if (
    deadline !== undefined &&
    cond &&
    !judged.includes(cond.reason) &&
    !deploymentComplete(state, status)
  ) {
    // The deadline is passed strictly after lastUpdateTime + deadline: look one second later.
    times.push(lastProgressAt(cond) + deadline * 1000 + 1000);
  }
  if (state.collided) times.push(state.now.getTime());
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}

export function buildPlan(
  state: DeploymentState,
  claim: { adopt: KubeObject[]; release: KubeObject[] },
  status: DeploymentStatus,
): DeploymentPlan {
  const plan: DeploymentPlan = {
    adopt: claim.adopt,
    release: claim.release,
    revisionBumps: [],
    scale: [],
    delete: state.deleteNames,
    status,
  };
  for (const rs of state.owned) {
    if (rs.pending) {
      plan.createReplicaSet = objectToCreate(rs);
      continue;
    }
    const changes = replicaSetChanges(rs);
    if (changes.scale) plan.scale.push(changes.scale);
    if (changes.bump) plan.revisionBumps.push(changes.bump);
  }
  if (
    state.deploymentRevision !== undefined &&
    state.deploymentRevision !== state.s.annotations[revisionAnnotation]
  ) {
    plan.deploymentRevision = state.deploymentRevision;
  }
  const at = recheckAt(state, status);
  if (at) plan.recheckAt = at;
  return plan;
}
