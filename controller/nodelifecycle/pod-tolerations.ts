import type { KubeObject } from "../resources/kube-object.js";
import { numberAt, objectAt, objectsAt, textAt } from "../resources/json-access.js";

export interface PodToleration {
  key: string;
  operator: string;
  value: string;
  effect: string;
  /** undefined: tolerated for as long as the taint stays. */
  seconds?: number;
}

export function podTolerations(pod: KubeObject): PodToleration[] {
  return objectsAt(objectAt(pod.spec)?.tolerations).map((t) => ({
    key: textAt(t.key),
    operator: textAt(t.operator),
    value: textAt(t.value),
    effect: textAt(t.effect),
    seconds: numberAt(t.tolerationSeconds),
  }));
}

/** v1.Toleration.ToleratesTaint: an empty effect or key matches any; no operator means Equal. */
export function tolerates(
  t: PodToleration,
  taint: { key: string; value?: string; effect: string },
): boolean {
  if (t.effect !== "" && t.effect !== taint.effect) return false;
  if (t.key !== "" && t.key !== taint.key) return false;
  if (t.operator === "Exists") return true;
  if (t.operator === "" || t.operator === "Equal") return t.value === (taint.value ?? "");
  return false;
}
