import type { KubeObject } from "../resources/kube-object.js";
import { objectAt, textAt } from "../resources/json-access.js";
import { nodeTaints, type Taint } from "./node-taints.js";
import { podTolerations, tolerates } from "./pod-tolerations.js";
import { timeMs } from "./node-conditions.js";

/** A NoExecute taint and when it counts from (its timeAdded, else when it was first seen). */
export interface TimedTaint extends Taint {
  since: number;
}

export type EvictionDecision =
  /** Nothing to do for this pod: not on a node, finished, or already being deleted. */
  | { action: "ignore"; reason: "unbound" | "terminal" | "deleting" }
  /** The pod may stay: no NoExecute taint, or every one tolerated without a time limit. */
  | { action: "keep" }
  /** Delete the pod at `at` (ms; -Infinity: a taint is not tolerated at all, so now). */
  | { action: "evict"; at: number };

/**
 * The taint eviction controller's verdict for a pod on a node with these NoExecute taints: an
 * untolerated taint evicts now; otherwise each taint's first matching toleration gives how long
 * the pod may stay after the taint came, and the earliest such moment wins (tolerationSeconds
 * 0 or less: at once; without tolerationSeconds: forever for that taint).
 */
export function evictionDecision(pod: KubeObject, taints: TimedTaint[]): EvictionDecision {
  if (!textAt(objectAt(pod.spec)?.nodeName)) return { action: "ignore", reason: "unbound" };
  const phase = textAt(objectAt(pod.status)?.phase);
  if (phase === "Succeeded" || phase === "Failed") return { action: "ignore", reason: "terminal" };
  if (pod.metadata?.deletionTimestamp) return { action: "ignore", reason: "deleting" };
  const tolerations = podTolerations(pod);
  let at = Number.POSITIVE_INFINITY;
  for (const taint of taints) {
    if (taint.effect !== "NoExecute") continue;
    const used = tolerations.find((t) => tolerates(t, taint));
    if (!used) return { action: "evict", at: Number.NEGATIVE_INFINITY };
    if (used.seconds === undefined) continue;
    at = Math.min(at, taint.since + Math.max(used.seconds, 0) * 1000);
  }
  return at === Number.POSITIVE_INFINITY ? { action: "keep" } : { action: "evict", at };
}

/**
 * The node's NoExecute taints with the time each counts from: timeAdded when it has one, else
 * `firstSeen(taint)` (the controller remembers when it first saw a taint written without one).
 */
export function timedNoExecuteTaints(
  node: KubeObject | undefined,
  firstSeen: (taint: Taint) => number,
): TimedTaint[] {
  if (!node) return [];
  return nodeTaints(node)
    .filter((t) => t.effect === "NoExecute")
    .map((t) => ({ ...t, since: timeMs(t.timeAdded) ?? firstSeen(t) }));
}

/** Identifies a taint on a node the way Kubernetes matches them: key and effect. */
export const taintId = (taint: Taint) => `${taint.key}:${taint.effect}`;
