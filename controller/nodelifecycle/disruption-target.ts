import { objectAt, objectsAt } from "../resources/json-access.js";

export type PodCondition = Record<string, unknown>;

/** The condition the taint eviction controller puts on a pod it is about to delete. */
export function disruptionTarget(now: Date): PodCondition {
  return {
    type: "DisruptionTarget",
    status: "True",
    reason: "DeletionByTaintManager",
    message: "Taint manager: deleting due to NoExecute taint",
    lastTransitionTime: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
}

/**
 * The pod status with `condition` in place of any of its type (UpdatePodCondition); undefined
 * when one with the same status, reason and message is there already.
 */
export function withCondition(
  status: unknown,
  condition: PodCondition,
): Record<string, unknown> | undefined {
  const current = objectAt(status) ?? {};
  const conditions = objectsAt(current.conditions);
  const same = conditions.find((c) => c.type === condition.type);
  if (
    same &&
    same.status === condition.status &&
    same.reason === condition.reason &&
    same.message === condition.message
  ) {
    return undefined;
  }
  return {
    ...current,
    conditions: [...conditions.filter((c) => c.type !== condition.type), condition],
  };
}
