import type { PodStatus } from "../../kube/types.js";
import { kubeletConditionTypes } from "../sync/pod-conditions.js";

/** Status fields the kubelet owns outright: absent from its status means cleared. */
const ownedScalars = [
  "phase",
  "reason",
  "message",
  "hostIP",
  "podIP",
  "startTime",
  "qosClass",
] as const;

/** Lists merged by key (ip) in Kubernetes that the kubelet computes whole: replaced explicitly. */
const mergedLists = ["hostIPs", "podIPs"] as const;
/** Lists without a merge key: a strategic merge patch replaces them as they are. */
const atomicLists = ["initContainerStatuses", "containerStatuses"] as const;

/**
 * The strategic merge patch that makes a pod's status the kubelet's: its scalar fields set (or
 * deleted with null), its lists replaced whole (container statuses have no merge key; the IP
 * lists get `$patch: replace`), and only the conditions the kubelet owns merged in by type —
 * conditions other components set (DisruptionTarget…) are left alone. metadata.uid is sent as
 * kubelet sends it: a server that checks it refuses a patch meant for an older pod of that name.
 */
export function podStatusPatch(uid: string, status: PodStatus): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of ownedScalars) patch[key] = status[key] ?? null;
  for (const key of mergedLists) {
    const list = status[key];
    patch[key] = list === undefined ? null : [...list, { $patch: "replace" }];
  }
  for (const key of atomicLists) patch[key] = status[key] ?? null;
  const conditions = (status.conditions ?? []).filter((c) => kubeletConditionTypes.has(c.type));
  if (conditions.length > 0) patch.conditions = conditions;
  return { metadata: { uid }, status: patch };
}
