import type { KubeObject } from "../resources/kube-object.js";
import { objectAt, objectsAt } from "../resources/json-access.js";

export function podReadyStatus(pod: KubeObject): string | undefined {
  const ready = objectsAt(objectAt(pod.status)?.conditions).find((c) => c.type === "Ready");
  return ready ? String(ready.status) : undefined;
}

/**
 * MarkPodsNotReady for one pod: its status with the Ready condition False (transition time
 * `now`), so Services and workload controllers stop counting it; undefined when there is no
 * Ready condition or it is False already. Only the kubelet may make it True again.
 */
export function notReadyPodStatus(
  pod: KubeObject,
  now: string,
): Record<string, unknown> | undefined {
  const status = objectAt(pod.status);
  if (!status) return undefined;
  const conditions = objectsAt(status.conditions);
  const index = conditions.findIndex((c) => c.type === "Ready");
  if (index < 0 || conditions[index].status === "False") return undefined;
  const next = conditions.map((c) => ({ ...c }));
  next[index] = { ...next[index], status: "False", lastTransitionTime: now };
  return { ...status, conditions: next };
}
