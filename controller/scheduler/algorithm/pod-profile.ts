import type { KubeObject } from "../../resources/kube-object.js";
import { listAt, objectAt, objectsAt, stringMapAt, textAt } from "../../resources/json-access.js";
import { containerHostPorts, type HostPort } from "./host-ports.js";
import {
  compilePreferredTerms,
  compileTerms,
  type SelectorTerm,
  type WeightedTerm,
} from "./node-selector.js";
import { podRequests, type PodRequests } from "./pod-requests.js";
import { anyTolerates, readTolerations, unschedulableTaintKey, type Toleration } from "./taints.js";

/** Everything the scheduler reads from a pod, parsed once. */
export interface PodProfile {
  key: string;
  resourceVersion: string;
  requests: PodRequests;
  /** Scalar requests above zero, as parallel arrays the fit check walks without allocating. */
  scalarNames: string[];
  scalarAmounts: number[];
  hostPorts: HostPort[];
  tolerations: Toleration[];
  /** Tolerations that can excuse a PreferNoSchedule taint (effect empty or PreferNoSchedule). */
  preferTolerations: Toleration[];
  toleratesUnschedulable: boolean;
  nodeSelector: [string, string][];
  /** Required node affinity terms, or undefined when the pod has none. */
  requiredTerms: SelectorTerm[] | undefined;
  /** NodeAffinity PreFilter: the only node names the required terms allow, "conflict" when
   * none can match, undefined when any node may. */
  requiredNodeNames: Set<string> | "conflict" | undefined;
  preferredTerms: WeightedTerm[];
  /** Spreading groups this pod counts in (owner, then same labels); none while terminating. */
  workloadKeys: string[];
  priority: number;
  preemptNever: boolean;
}

const profiles = new WeakMap<KubeObject, PodProfile>();

/** The pod's profile, computed once per pod object (objects are never changed in place: a new
 * version of a pod is a new object, as informers deliver them). */
export function podProfile(pod: KubeObject): PodProfile {
  let profile = profiles.get(pod);
  if (!profile) {
    profile = buildProfile(pod);
    profiles.set(pod, profile);
  }
  return profile;
}

/** Lets a copy of a pod (the assumed, bound one) reuse the original's profile. */
export function shareProfile(from: KubeObject, to: KubeObject): void {
  profiles.set(to, podProfile(from));
}

export function podKey(pod: KubeObject): string {
  const m = pod.metadata ?? {};
  return `${m.namespace ?? ""}/${m.name ?? ""}/${m.uid ?? ""}`;
}

function buildProfile(pod: KubeObject): PodProfile {
  const spec = objectAt(pod.spec) ?? {};
  const requests = podRequests(spec);
  const scalar = [...requests.scalar].filter(([, amount]) => amount > 0);
  const tolerations = readTolerations(spec.tolerations);
  const affinity = objectAt(objectAt(spec.affinity)?.nodeAffinity);
  const required = objectAt(affinity?.requiredDuringSchedulingIgnoredDuringExecution);
  const requiredTerms = required ? compileTerms(required.nodeSelectorTerms) : undefined;
  return {
    key: podKey(pod),
    resourceVersion: pod.metadata?.resourceVersion ?? "",
    requests,
    scalarNames: scalar.map(([name]) => name),
    scalarAmounts: scalar.map(([, amount]) => amount),
    hostPorts: containerHostPorts(spec),
    tolerations,
    preferTolerations: tolerations.filter(
      (t) => t.effect === "" || t.effect === "PreferNoSchedule",
    ),
    toleratesUnschedulable: anyTolerates(tolerations, {
      key: unschedulableTaintKey,
      value: "",
      effect: "NoSchedule",
    }),
    nodeSelector: Object.entries(stringMapAt(spec.nodeSelector)),
    requiredTerms,
    requiredNodeNames: required ? namesFromTerms(required.nodeSelectorTerms) : undefined,
    preferredTerms: compilePreferredTerms(
      affinity?.preferredDuringSchedulingIgnoredDuringExecution,
    ),
    workloadKeys: pod.metadata?.deletionTimestamp ? [] : workloadKeys(pod),
    priority: typeof spec.priority === "number" ? spec.priority : 0,
    preemptNever: spec.preemptionPolicy === "Never",
  };
}

// The controller owner identifies a workload; pods without one group by identical labels.
function workloadKeys(pod: KubeObject): string[] {
  const keys: string[] = [];
  const owner = objectsAt(pod.metadata?.ownerReferences).find((r) => r.controller === true);
  if (typeof owner?.uid === "string" && owner.uid !== "") keys.push(`owner:${owner.uid}`);
  const labels = Object.entries(stringMapAt(pod.metadata?.labels)).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  if (labels.length > 0) {
    keys.push(`labels:${pod.metadata?.namespace ?? ""}:${JSON.stringify(labels)}`);
  }
  return keys;
}

/** The pod's spreading group: its controller owner, else its labels; undefined for neither. */
export const spreadKey = (profile: PodProfile): string | undefined => profile.workloadKeys[0];

// NodeAffinity's PreFilter: terms whose matchFields pin metadata.name narrow the candidate nodes
// before any filter runs (a term without such a field leaves every node possible).
function namesFromTerms(value: unknown): Set<string> | "conflict" | undefined {
  let names: Set<string> | undefined;
  for (const term of objectsAt(value)) {
    let termNames: Set<string> | undefined;
    for (const field of objectsAt(term.matchFields)) {
      if (field.key !== "metadata.name" || field.operator !== "In") continue;
      const values = new Set(listAt(field.values).map(textAt));
      termNames = termNames ? new Set([...termNames].filter((n) => values.has(n))) : values;
    }
    if (!termNames) return undefined;
    names = new Set([...(names ?? []), ...termNames]);
  }
  if (names && names.size === 0) return "conflict";
  return names;
}
