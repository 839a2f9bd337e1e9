import type { KubeObject } from "../resources/kube-object.js";
import { numberAt, objectAt, type JsonObject } from "../resources/json-access.js";
import { replicaSetPods, type ReplicaSetPods } from "./replicaset-pods.js";
import {
  metadataGeneration,
  specMinReadySeconds,
  specReplicas,
  specTemplate,
} from "./workload-spec.js";

/**
 * A Deployment's ReplicaSet as the controller reasons about it: its spec as this pass leaves it
 * (replicas, annotations, minReadySeconds change as decisions are made) next to what was stored,
 * and what its pods look like right now.
 */
export interface ReplicaSetView {
  name: string;
  uid: string;
  /** The stored object (with the controller ref when adopted in this pass). */
  object: KubeObject;
  /** Not stored yet: this pass creates it. */
  pending: boolean;
  createdAt: number;
  template: JsonObject;
  storedReplicas: number;
  replicas: number;
  storedAnnotations: Record<string, string>;
  annotations: Record<string, string>;
  storedMinReadySeconds: number;
  minReadySeconds: number;
  pods: ReplicaSetPods;
}

export function viewOf(rs: KubeObject, pods: KubeObject[], now: Date): ReplicaSetView {
  const replicas = specReplicas(rs);
  const annotations = { ...(rs.metadata?.annotations ?? {}) };
  const minReadySeconds = specMinReadySeconds(rs);
  const createdAt = Date.parse(rs.metadata?.creationTimestamp ?? "");
  return {
    name: rs.metadata?.name ?? "",
    uid: rs.metadata?.uid ?? "",
    object: rs,
    pending: false,
    createdAt: Number.isNaN(createdAt) ? 0 : createdAt,
    template: specTemplate(rs),
    storedReplicas: replicas,
    replicas,
    storedAnnotations: annotations,
    annotations: { ...annotations },
    storedMinReadySeconds: minReadySeconds,
    minReadySeconds,
    pods: replicaSetPods(rs, pods, now),
  };
}

/** Pods that will still be available once the ReplicaSet is down to spec.replicas. */
export function effectiveAvailable(rs: ReplicaSetView): number {
  return Math.min(rs.pods.counts.availableReplicas, rs.replicas);
}

export function sumReplicas(rss: ReplicaSetView[]): number {
  return rss.reduce((sum, rs) => sum + rs.replicas, 0);
}

/**
 * The pods a ReplicaSet runs or is about to: its spec.replicas, or more while a scale-down has
 * not been carried out yet (its controller lags, or the pods are not marked for deletion yet).
 */
export function podsOrReplicas(rs: ReplicaSetView): number {
  return Math.max(rs.replicas, rs.pods.active.length);
}

export function sumEffectiveAvailable(rss: ReplicaSetView[]): number {
  return rss.reduce((sum, rs) => sum + effectiveAvailable(rs), 0);
}

export function isActive(rs: ReplicaSetView): boolean {
  return rs.replicas > 0;
}

/** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
export function byCreation(a: ReplicaSetView, b: ReplicaSetView): number {
  return a.createdAt - b.createdAt || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** status.replicas as the ReplicaSet controller last wrote it. */
export function storedStatusReplicas(rs: ReplicaSetView): number {
  return numberAt(objectAt(rs.object.status)?.replicas) ?? 0;
}

/** The ReplicaSet controller has seen its latest spec. */
export function statusObserved(rs: ReplicaSetView): boolean {
  const observed = numberAt(objectAt(rs.object.status)?.observedGeneration) ?? 0;
  return metadataGeneration(rs.object) <= observed;
}
