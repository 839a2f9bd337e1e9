import type { KubeObject } from "../resources/kube-object.js";
import { numberAt, objectAt } from "../resources/json-access.js";
import { readConditions, type WorkloadCondition } from "./conditions.js";
import type { DeploymentSettings } from "./deployment-spec.js";
import type { ReplicaSetView } from "./replicaset-view.js";
import { desiredReplicasAnnotation, maxReplicasAnnotation } from "./revisions.js";

/** The counts of a Deployment's status, as stored or as computed. */
export interface StatusCounts {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
}

/**
 * Everything one pass of the Deployment controller works on. Kubernetes mutates the Deployment's
 * status in place as it goes (paused/new-ReplicaSet conditions, collisionCount); so do we, in
 * conditions and collisionCount, while stored keeps the counts the pass started from.
 */
export interface DeploymentState {
  d: KubeObject;
  s: DeploymentSettings;
  now: Date;
  /** Every ReplicaSet in the namespace, to spot name collisions. */
  namespaceReplicaSets: KubeObject[];
  owned: ReplicaSetView[];
  newRS?: ReplicaSetView;
  oldRSs: ReplicaSetView[];
  stored: StatusCounts;
  conditions: WorkloadCondition[];
  collisionCount?: number;
  deleteNames: string[];
  deploymentRevision?: string;
  /** A hash collision stopped the pass: only collisionCount is reported. */
  collided: boolean;
}

export function storedCounts(d: KubeObject): StatusCounts {
  const status = objectAt(d.status) ?? {};
  const n = (key: string) => numberAt(status[key]) ?? 0;
  return {
    observedGeneration: n("observedGeneration"),
    replicas: n("replicas"),
    updatedReplicas: n("updatedReplicas"),
    readyReplicas: n("readyReplicas"),
    availableReplicas: n("availableReplicas"),
    unavailableReplicas: n("unavailableReplicas"),
  };
}

export function storedConditions(d: KubeObject): WorkloadCondition[] {
  return readConditions(objectAt(d.status)?.conditions);
}

export function storedCollisionCount(d: KubeObject): number | undefined {
  return numberAt(objectAt(d.status)?.collisionCount);
}

/**
 * scaleReplicaSet: set the size and stamp desired-replicas / max-replicas, which later passes
 * use to tell scaling events from rollouts and to scale proportionally.
 */
export function setReplicaSetSize(
  state: DeploymentState,
  rs: ReplicaSetView,
  size: number,
): boolean {
  const changed = rs.replicas !== size;
  rs.replicas = size;
  rs.annotations[desiredReplicasAnnotation] = String(state.s.replicas);
  rs.annotations[maxReplicasAnnotation] = String(state.s.replicas + state.s.maxSurge);
  return changed;
}

/** scaleReplicaSetAndRecordEvent: nothing when the size is already right. */
export function scaleReplicaSet(state: DeploymentState, rs: ReplicaSetView, size: number): boolean {
  if (rs.replicas === size) return false;
  return setReplicaSetSize(state, rs, size);
}

export function allReplicaSets(state: DeploymentState): ReplicaSetView[] {
  return state.newRS ? [...state.oldRSs, state.newRS] : [...state.oldRSs];
}
