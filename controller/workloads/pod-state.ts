import type { KubeObject } from "../resources/kube-object.js";
import { numberAt, objectAt, objectsAt, textAt } from "../resources/json-access.js";

/** A pod's status.phase ("" when unset). */
export function podPhase(pod: KubeObject): string {
  return textAt(objectAt(pod.status)?.phase);
}

/** Succeeded and Failed pods are done for good: controllers replace them rather than count them. */
export function isPodTerminal(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return phase === "Succeeded" || phase === "Failed";
}

export function isPodTerminating(pod: KubeObject): boolean {
  return Boolean(pod.metadata?.deletionTimestamp);
}

/** controller.IsPodActive: neither finished nor on its way out. */
export function isPodActive(pod: KubeObject): boolean {
  return !isPodTerminal(pod) && !isPodTerminating(pod);
}

function readyCondition(pod: KubeObject): Record<string, unknown> | undefined {
  return objectsAt(objectAt(pod.status)?.conditions).find((c) => c.type === "Ready");
}

export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === "True";
}

/** When the pod last became Ready, in ms; undefined when not ready or the time is unknown. */
export function podReadySince(pod: KubeObject): number | undefined {
  const cond = readyCondition(pod);
  if (cond?.status !== "True") return undefined;
  const at = Date.parse(textAt(cond.lastTransitionTime));
  return Number.isNaN(at) ? undefined : at;
}

/**
 * The time from which a ready pod counts as available (ready for minReadySeconds), or undefined
 * when it is not ready. A ready pod without a transition time is available at once with
 * minReadySeconds 0 and never otherwise, as in Kubernetes.
 */
export function podAvailableAt(pod: KubeObject, minReadySeconds: number): number | undefined {
  if (!isPodReady(pod)) return undefined;
  if (minReadySeconds <= 0) return Number.NEGATIVE_INFINITY;
  const since = podReadySince(pod);
  return since === undefined ? undefined : since + minReadySeconds * 1000;
}

export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: Date): boolean {
  const at = podAvailableAt(pod, minReadySeconds);
  return at !== undefined && at <= now.getTime();
}

/** The highest restartCount among the pod's containers. */
export function maxContainerRestarts(pod: KubeObject): number {
  return objectsAt(objectAt(pod.status)?.containerStatuses).reduce(
    (max, s) => Math.max(max, numberAt(s.restartCount) ?? 0),
    0,
  );
}

export function podNodeName(pod: KubeObject): string {
  return textAt(objectAt(pod.spec)?.nodeName);
}
