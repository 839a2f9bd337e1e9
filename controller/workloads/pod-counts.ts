import type { KubeObject } from "../resources/kube-object.js";
import { isPodReady, podAvailableAt } from "./pod-state.js";

export interface PodCounts {
  replicas: number;
  /** Pods carrying every label of the template (the selector may ask for fewer). */
  fullyLabeledReplicas: number;
  readyReplicas: number;
  /** Ready for at least minReadySeconds. */
  availableReplicas: number;
  /** When the next ready-but-not-yet-available pod becomes available (ms), if any. */
  nextAvailableAt?: number;
}

/** The counts a ReplicaSet reports for its active pods at time now. */
export function countPods(
  pods: KubeObject[],
  templateLabels: Record<string, string>,
  minReadySeconds: number,
  now: Date,
): PodCounts {
  const counts: PodCounts = {
    replicas: pods.length,
    fullyLabeledReplicas: 0,
    readyReplicas: 0,
    availableReplicas: 0,
  };
  const wanted = Object.entries(templateLabels);
  for (const pod of pods) {
    const labels = pod.metadata?.labels ?? {};
    if (wanted.every(([k, v]) => labels[k] === v)) counts.fullyLabeledReplicas++;
    if (!isPodReady(pod)) continue;
    counts.readyReplicas++;
    const at = podAvailableAt(pod, minReadySeconds);
    if (at === undefined) continue;
    if (at <= now.getTime()) counts.availableReplicas++;
    else counts.nextAvailableAt = Math.min(counts.nextAvailableAt ?? Infinity, at);
  }
  return counts;
}
