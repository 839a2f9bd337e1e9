import type { Pod } from "../../kube/types.js";

/** A pod as kubelet's messages name it: name_namespace(uid). */
export function formatPod(pod: Pod): string {
  const m = pod.metadata ?? {};
  return `${m.name ?? ""}_${m.namespace ?? ""}(${m.uid ?? ""})`;
}
