import type { KubeObject } from "../resources/kube-object.js";
import { listAt, objectAt, objectsAt, textAt } from "../resources/json-access.js";
import { nodeConditions, readyStatus } from "./node-conditions.js";
import {
  conditionTaints,
  managedNoExecuteKeys,
  managedNoScheduleKeys,
  notReadyTaintKey,
  unreachableTaintKey,
  unschedulableTaintKey,
} from "./taint-keys.js";

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

/**
 * How NoExecute taints may change on a node, from its zone's state: "normal" follows the Ready
 * condition; "paused" (a partly disrupted zone) adds none to a node without one yet but still
 * swaps and removes; "suppressed" (every zone fully disrupted: more likely the controller is cut
 * off than every node dead) removes them all.
 */
export type NoExecuteMode = "normal" | "paused" | "suppressed";

export interface TaintChanges {
  add: Taint[];
  /** Matched by key and effect. */
  remove: Taint[];
}

export function nodeTaints(node: KubeObject): Taint[] {
  return objectsAt(objectAt(node.spec)?.taints).map((t) => ({
    key: textAt(t.key),
    ...(t.value !== undefined ? { value: textAt(t.value) } : {}),
    effect: textAt(t.effect),
    ...(t.timeAdded ? { timeAdded: textAt(t.timeAdded) } : {}),
  }));
}

/**
 * The node lifecycle taints to add and remove so the node's taints say what its status and
 * spec do: a NoSchedule taint per unhealthy condition (Ready False → not-ready, Unknown →
 * unreachable, pressure conditions True → their taint) and for a cordoned node, and the
 * NoExecute not-ready or unreachable taint while Ready is not True. Added taints carry `now` as
 * timeAdded, which is when tolerationSeconds start counting.
 */
export function lifecycleTaintChanges(
  node: KubeObject,
  mode: NoExecuteMode,
  now: string,
): TaintChanges {
  const taints = nodeTaints(node);
  const changes: TaintChanges = { add: [], remove: [] };
  noScheduleChanges(node, taints, now, changes);
  noExecuteChanges(node, taints, mode, now, changes);
  return changes;
}

export function hasChanges(changes: TaintChanges): boolean {
  return changes.add.length > 0 || changes.remove.length > 0;
}

/** The taints list with `changes` made: others kept as they are and where they are. */
export function withTaintChanges(taints: unknown, changes: TaintChanges): unknown[] {
  const removed = (t: Record<string, unknown>) =>
    changes.remove.some((r) => r.key === textAt(t.key) && r.effect === textAt(t.effect));
  return [
    ...listAt(taints).filter((t) => !removed(objectAt(t) ?? {})),
    ...changes.add.map((t) => ({ ...t })),
  ];
}

function noScheduleChanges(node: KubeObject, taints: Taint[], now: string, out: TaintChanges) {
  const wanted = new Set<string>();
  for (const condition of nodeConditions(node)) {
    const key = conditionTaints[textAt(condition.type)]?.[textAt(condition.status)];
    if (key) wanted.add(key);
  }
  if (objectAt(node.spec)?.unschedulable === true) wanted.add(unschedulableTaintKey);
  const present = taints.filter(
    (t) => t.effect === "NoSchedule" && managedNoScheduleKeys.has(t.key),
  );
  for (const key of wanted) {
    if (!present.some((t) => t.key === key))
      out.add.push({ key, effect: "NoSchedule", timeAdded: now });
  }
  for (const t of present) if (!wanted.has(t.key)) out.remove.push(t);
}

function noExecuteChanges(
  node: KubeObject,
  taints: Taint[],
  mode: NoExecuteMode,
  now: string,
  out: TaintChanges,
) {
  const present = taints.filter((t) => t.effect === "NoExecute" && managedNoExecuteKeys.has(t.key));
  const ready = readyStatus(node);
  let wanted: string | undefined;
  if (mode === "suppressed" || ready === "True") wanted = undefined;
  else if (ready === "False") wanted = notReadyTaintKey;
  else if (ready === "Unknown") wanted = unreachableTaintKey;
  else return; // no Ready condition yet (or a status Kubernetes does not define): leave them
  for (const t of present) if (t.key !== wanted) out.remove.push(t);
  if (!wanted || present.some((t) => t.key === wanted)) return;
  if (mode === "normal" || present.length > 0)
    out.add.push({ key: wanted, effect: "NoExecute", timeAdded: now });
}
