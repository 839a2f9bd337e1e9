import { objectsAt, textAt } from "../resources/json-access.js";

export type ConditionStatus = "True" | "False" | "Unknown";

/** A workload condition; Deployments carry lastUpdateTime, ReplicaSets do not. */
export interface WorkloadCondition {
  type: string;
  status: ConditionStatus;
  lastUpdateTime?: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** metav1.Time as the API writes it: RFC 3339, whole seconds, UTC. */
export function apiTime(at: Date | number): string {
  return new Date(Math.floor(new Date(at).getTime() / 1000) * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
}

/** Conditions read leniently from a stored status (entries without a type are dropped). */
export function readConditions(value: unknown): WorkloadCondition[] {
  return objectsAt(value)
    .filter((c) => typeof c.type === "string" && c.type !== "")
    .map((c) => {
      const status = c.status === "True" || c.status === "False" ? c.status : "Unknown";
      const cond: WorkloadCondition = {
        type: textAt(c.type),
        status,
        lastTransitionTime: textAt(c.lastTransitionTime),
        reason: textAt(c.reason),
        message: textAt(c.message),
      };
      if (c.lastUpdateTime !== undefined) cond.lastUpdateTime = textAt(c.lastUpdateTime);
      return cond;
    });
}

export function findCondition(
  conditions: WorkloadCondition[],
  type: string,
): WorkloadCondition | undefined {
  return conditions.find((c) => c.type === type);
}

export function removeCondition(
  conditions: WorkloadCondition[],
  type: string,
): WorkloadCondition[] {
  return conditions.filter((c) => c.type !== type);
}

/**
 * SetDeploymentCondition / SetCondition: no change when status and reason are the same (so the
 * times stay); the transition time is kept when only the reason changes. The condition moves to
 * the end of the list, as Kubernetes appends it.
 */
export function setCondition(
  conditions: WorkloadCondition[],
  next: WorkloadCondition,
): WorkloadCondition[] {
  const current = findCondition(conditions, next.type);
  if (current && current.status === next.status && current.reason === next.reason) {
    return conditions;
  }
  const cond = { ...next };
  if (current && current.status === next.status) {
    cond.lastTransitionTime = current.lastTransitionTime;
  }
  return [...removeCondition(conditions, next.type), cond];
}
