import { objectsAt, textAt } from "../../resources/json-access.js";

export interface Taint {
  key: string;
  value: string;
  effect: string;
}

export interface Toleration {
  key: string;
  operator: string;
  value: string;
  effect: string;
}

export const unschedulableTaintKey = "node.kubernetes.io/unschedulable";

export function readTaints(value: unknown): Taint[] {
  return objectsAt(value).map((t) => ({
    key: textAt(t.key),
    value: textAt(t.value),
    effect: textAt(t.effect),
  }));
}

export function readTolerations(value: unknown): Toleration[] {
  return objectsAt(value).map((t) => ({
    key: textAt(t.key),
    operator: textAt(t.operator),
    value: textAt(t.value),
    effect: textAt(t.effect),
  }));
}

/** v1.Toleration.ToleratesTaint: an empty effect or key matches any; no operator means Equal. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect !== "" && t.effect !== taint.effect) return false;
  if (t.key !== "" && t.key !== taint.key) return false;
  if (t.operator === "Exists") return true;
  if (t.operator === "" || t.operator === "Equal") return t.value === taint.value;
  return false;
}

export function anyTolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (let i = 0; i < tolerations.length; i++) {
    if (toleratesTaint(tolerations[i], taint)) return true;
  }
  return false;
}

/** Whether the taint keeps pods off the node (the TaintToleration filter's concern). */
export const isHardTaint = (taint: Taint) =>
  taint.effect === "NoSchedule" || taint.effect === "NoExecute";

/** The TaintToleration filter's reason for a node whose first untolerated taint is this one. */
export const untoleratedTaintReason = (taint: Taint) =>
  `node(s) had untolerated taint {${taint.key}: ${taint.value}}`;
