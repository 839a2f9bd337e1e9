import type { KubeObject } from "../resources/kube-object.js";
import { objectAt, stringMapAt } from "../resources/json-access.js";
import { labelSelectorMatches } from "../resources/validation/label-selector.js";
import { countPods, type PodCounts } from "./pod-counts.js";
import { isControlledBy } from "./owner-refs.js";
import { isPodActive } from "./pod-state.js";
import { specMinReadySeconds, specSelector, specTemplate } from "./workload-spec.js";

export interface ReplicaSetPods {
  /** Every pod the ReplicaSet controls, terminating and finished ones included. */
  all: KubeObject[];
  /** Controlled, matching its selector, neither finished nor terminating: what it counts. */
  active: KubeObject[];
  counts: PodCounts;
}

export function templateLabels(obj: KubeObject): Record<string, string> {
  return stringMapAt(objectAt(specTemplate(obj).metadata)?.labels);
}

/** The pods a ReplicaSet already controls, and what its status would say about them. */
export function replicaSetPods(rs: KubeObject, pods: KubeObject[], now: Date): ReplicaSetPods {
  const uid = rs.metadata?.uid ?? "";
  const selector = specSelector(rs);
  const all = pods.filter((p) => isControlledBy(p, uid));
  const active = all.filter(
    (p) => isPodActive(p) && labelSelectorMatches(selector, p.metadata?.labels ?? {}),
  );
  const counts = countPods(active, templateLabels(rs), specMinReadySeconds(rs), now);
  return { all, active, counts };
}
