import type { KubeObject } from "../resources/kube-object.js";
import { objectAt, stringMapAt } from "../resources/json-access.js";
import { apiTime, findCondition, setCondition } from "./conditions.js";
import { allReplicaSets, setReplicaSetSize, type DeploymentState } from "./deployment-state.js";
import { newControllerRef } from "./owner-refs.js";
import { countPods } from "./pod-counts.js";
import {
  equalIgnoringHash,
  podTemplateHash,
  selectorWithHash,
  templateWithHash,
} from "./pod-template-hash.js";
import { byCreation, podsOrReplicas, type ReplicaSetView } from "./replicaset-view.js";
import { maxRevision, revisionAnnotation, syncNewReplicaSetAnnotations } from "./revisions.js";

export const progressing = "Progressing";

/** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet(
  owned: ReplicaSetView[],
  template: unknown,
): ReplicaSetView | undefined {
  return [...owned].sort(byCreation).find((rs) => equalIgnoringHash(rs.template, template));
}

function setProgressing(state: DeploymentState, reason: string, message: string): void {
  const at = apiTime(state.now);
  state.conditions = setCondition(state.conditions, {
    type: progressing,
    status: "True",
    lastUpdateTime: at,
    lastTransitionTime: at,
    reason,
    message,
  });
}

/**
 * The existing new ReplicaSet takes the next revision (max of the old ones + 1: a rollback back
 * to it bumps it), the Deployment's annotations and minReadySeconds; the Deployment then records
 * that revision.
 */
export function syncNewReplicaSetRevision(state: DeploymentState): void {
  const rs = state.newRS;
  if (!rs) return;
  syncNewReplicaSetAnnotations(rs, state.s.annotations, maxRevision(state.oldRSs) + 1);
  rs.minReadySeconds = state.s.minReadySeconds;
  state.deploymentRevision = rs.annotations[revisionAnnotation];
  const hasDeadline = state.s.progressDeadlineSeconds !== undefined;
  if (hasDeadline && !findCondition(state.conditions, progressing)) {
    setProgressing(state, "FoundNewReplicaSet", `Found new replica set "${rs.name}"`);
  }
}

/**
 * NewRSNewReplicas: how far the new ReplicaSet may grow now. Kubernetes sums spec.replicas; pods
 * an old ReplicaSet still runs beyond its spec count too, or the surge would be exceeded while
 * its scale-down is carried out.
 */
export function newReplicaSetSize(state: DeploymentState, newRS: ReplicaSetView): number {
  const { s } = state;
  if (s.strategy === "Recreate") return s.replicas;
  const maxTotal = s.replicas + s.maxSurge;
  const current = allReplicaSets(state).reduce((sum, rs) => sum + podsOrReplicas(rs), 0);
  if (current >= maxTotal) return newRS.replicas;
  return newRS.replicas + Math.min(maxTotal - current, s.replicas - newRS.replicas);
}

/**
 * getNewReplicaSet with createIfNotExisted: plan the new ReplicaSet
 * "<deployment>-<pod-template-hash>". A name already taken by a different ReplicaSet is a hash
 * collision: collisionCount goes up and the next pass hashes again.
 */
export function createNewReplicaSet(state: DeploymentState): ReplicaSetView | undefined {
  if (state.newRS) return state.newRS;
  const { s, now } = state;
  const hash = podTemplateHash(s.template, state.collisionCount);
  const name = `${s.name}-${hash}`;
  if (state.namespaceReplicaSets.some((rs) => rs.metadata?.name === name)) {
    state.collisionCount = (state.collisionCount ?? 0) + 1;
    state.collided = true;
    return undefined;
  }
  const template = templateWithHash(s.template, hash);
  const labels = stringMapAt(objectAt(template.metadata)?.labels);
  const object: KubeObject = {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name,
      namespace: s.namespace,
      labels,
      ownerReferences: [newControllerRef(state.d, "apps/v1", "Deployment")],
    },
    spec: {
      replicas: 0,
      minReadySeconds: s.minReadySeconds,
      selector: selectorWithHash(s.selector, hash),
      template,
    },
  };
  const rs: ReplicaSetView = {
    name,
    uid: "",
    object,
    pending: true,
    createdAt: now.getTime(),
    template,
    storedReplicas: 0,
    replicas: 0,
    storedAnnotations: {},
    annotations: {},
    storedMinReadySeconds: s.minReadySeconds,
    minReadySeconds: s.minReadySeconds,
    pods: { all: [], active: [], counts: countPods([], labels, s.minReadySeconds, now) },
  };
  const newRevision = maxRevision(state.oldRSs) + 1;
  syncNewReplicaSetAnnotations(rs, s.annotations, newRevision);
  state.newRS = rs;
  state.owned.push(rs);
  setReplicaSetSize(state, rs, newReplicaSetSize(state, rs));
  state.deploymentRevision = String(newRevision);
  if (s.progressDeadlineSeconds !== undefined) {
    setProgressing(state, "NewReplicaSetCreated", `Created new replica set "${name}"`);
  }
  return rs;
}
