import type { KubeObject } from "../resources/kube-object.js";
import { objectAt, objectsAt, textAt } from "../resources/json-access.js";

export type Condition = Record<string, unknown>;

export function nodeConditions(node: KubeObject): Condition[] {
  return objectsAt(objectAt(node.status)?.conditions);
}

export function nodeCondition(node: KubeObject, type: string): Condition | undefined {
  return nodeConditions(node).find((c) => c.type === type);
}

/** The Ready condition's status ("True", "False", "Unknown"), undefined when there is none. */
export function readyStatus(node: KubeObject): string | undefined {
  const ready = nodeCondition(node, "Ready");
  return ready ? textAt(ready.status) : undefined;
}

/** Milliseconds since the epoch of a metav1.Time or MicroTime; undefined when unreadable. */
export function timeMs(value: unknown): number | undefined {
  const ms = Date.parse(textAt(value));
  return Number.isNaN(ms) ? undefined : ms;
}
