import type { KubeObject } from "../resources/kube-object.js";
import { objectAt } from "../resources/json-access.js";
import { labelSelectorMatches } from "../resources/validation/label-selector.js";
import {
  apiTime,
  findCondition,
  readConditions,
  removeCondition,
  setCondition,
  type WorkloadCondition,
} from "./conditions.js";
import { podsToDelete } from "./deletion-order.js";
import { claimObjects, newControllerRef } from "./owner-refs.js";
import { countPods } from "./pod-counts.js";
import { podFromTemplate } from "./pod-from-template.js";
import { isPodActive } from "./pod-state.js";
import { templateLabels } from "./replicaset-pods.js";
import { burstReplicas, slowStartBatches } from "./slow-start.js";
import {
  metadataGeneration,
  requireIdentity,
  specMinReadySeconds,
  specReplicas,
  specSelector,
  specTemplate,
} from "./workload-spec.js";

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  observedGeneration: number;
  conditions?: WorkloadCondition[];
}

export interface ReplicaSetPlan {
  /** Matching orphan pods to take: copies already carrying the ReplicaSet's controller ref. */
  adopt: KubeObject[];
  /** Controlled pods the selector no longer matches: copies without the ReplicaSet's ref. */
  release: KubeObject[];
  /** New pods to POST (generateName "<rs>-"), at most burstReplicas per pass. */
  create: KubeObject[];
  /** Slow-start batch sizes covering create (1, 2, 4, …): stop at the first batch that fails. */
  burst: number[];
  /** Pods to delete, cheapest to lose first, at most burstReplicas per pass. */
  delete: KubeObject[];
  /** The status to write through the status subresource. */
  status: ReplicaSetStatus;
  /** When to run again even if nothing changes (a pod reaching minReadySeconds). */
  recheckAt?: Date;
}

export interface ReplicaSetOptions {
  /**
   * The error of the previous pass's creates or deletes, if they failed: reported as the
   * ReplicaFailure condition (FailedCreate / FailedDelete) until a pass succeeds.
   */
  manageError?: string;
  /** Per-pass cap on creations and deletions (Kubernetes' --replicaset-burst, 500). */
  burstReplicas?: number;
}

const replicaFailure = "ReplicaFailure";

/**
 * One pass of the ReplicaSet controller over rs and the pods of its namespace: claim pods,
 * create or delete to reach spec.replicas, and report status. Pure: the caller performs the plan.
 * The caller must not run another pass before its creations and deletions show up in pods
 * (Kubernetes' "expectations"), or it will act twice.
 */
export function reconcileReplicaSet(
  rs: KubeObject,
  pods: KubeObject[],
  now: Date,
  options: ReplicaSetOptions = {},
): ReplicaSetPlan {
  const { name, namespace } = requireIdentity(rs);
  const replicas = specReplicas(rs);
  const selector = specSelector(rs);
  const template = specTemplate(rs);
  const ref = newControllerRef(rs, "apps/v1", "ReplicaSet");

  const claim = claimObjects(
    rs,
    pods.filter(isPodActive),
    (pod) => labelSelectorMatches(selector, pod.metadata?.labels ?? {}),
    ref,
  );
  const active = [...claim.owned, ...claim.adopt];
  const counts = countPods(active, templateLabels(rs), specMinReadySeconds(rs), now);

  const plan: ReplicaSetPlan = {
    adopt: claim.adopt,
    release: claim.release,
    create: [],
    burst: [],
    delete: [],
    status: {
      replicas: counts.replicas,
      fullyLabeledReplicas: counts.fullyLabeledReplicas,
      readyReplicas: counts.readyReplicas,
      availableReplicas: counts.availableReplicas,
      observedGeneration: metadataGeneration(rs),
    },
  };
  const conditions = failureConditions(rs, active.length - replicas, options.manageError, now);
  if (conditions.length > 0) plan.status.conditions = conditions;
  if (counts.nextAvailableAt !== undefined) plan.recheckAt = new Date(counts.nextAvailableAt);

  if (rs.metadata?.deletionTimestamp) return plan;
  const cap = options.burstReplicas ?? burstReplicas;
  const diff = active.length - replicas;
  if (diff < 0) {
    const count = Math.min(-diff, cap);
    for (let i = 0; i < count; i++) {
      plan.create.push(podFromTemplate(template, name, namespace, ref));
    }
    plan.burst = slowStartBatches(count);
  } else if (diff > 0) {
    plan.delete = podsToDelete(active, Math.min(diff, cap));
  }
  return plan;
}

function failureConditions(
  rs: KubeObject,
  diff: number,
  manageError: string | undefined,
  now: Date,
): WorkloadCondition[] {
  const conditions = readConditions(objectAt(rs.status)?.conditions);
  const current = findCondition(conditions, replicaFailure);
  if (manageError && !current) {
    return setCondition(conditions, {
      type: replicaFailure,
      status: "True",
      lastTransitionTime: apiTime(now),
      reason: diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "",
      message: manageError,
    });
  }
  if (!manageError && current) return removeCondition(conditions, replicaFailure);
  return conditions;
}
