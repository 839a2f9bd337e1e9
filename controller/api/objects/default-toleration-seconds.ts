import { invalidArgument } from "../../../lib/errors.js";
import type { KubeObject } from "../../resources/kube-object.js";
import { isObject, objectsAt, textAt } from "../../resources/json-access.js";
import type { ResourceType } from "../../resources/resource-type.js";
import { notReadyTaintKey, unreachableTaintKey } from "../../nodelifecycle/taint-keys.js";
import type { ApiDeps } from "../context.js";

/** kube-apiserver's --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
export const defaultTolerationSeconds = 300;

/** The admission's settings, defaults filled in; a bad value names its option. */
export function tolerationSecondsSettings(given: { notReady?: number; unreachable?: number }): {
  notReady: number;
  unreachable: number;
} {
  const checked = (value: number | undefined, field: string) => {
    const seconds = value ?? defaultTolerationSeconds;
    if (!Number.isSafeInteger(seconds) || seconds < 0) {
      throw invalidArgument(
        `${field} must be a whole number of seconds, 0 or more, not ${JSON.stringify(value)}`,
        { field },
      );
    }
    return seconds;
  };
  return {
    notReady: checked(given.notReady, "defaultNotReadyTolerationSeconds"),
    unreachable: checked(given.unreachable, "defaultUnreachableTolerationSeconds"),
  };
}

/**
 * Kubernetes' DefaultTolerationSeconds admission: a new pod that does not already tolerate the
 * node lifecycle's NoExecute taints gets tolerations for them with a bounded time, so its pods
 * leave a dead node after that long (the taint eviction controller does the leaving).
 */
export function addDefaultTolerations(deps: ApiDeps, rt: ResourceType, pod: KubeObject): void {
  if (rt.group !== "" || rt.plural !== "pods") return;
  const spec = pod.spec;
  if (!isObject(spec)) return;
  const seconds = deps.defaultTolerationSeconds;
  const existing = objectsAt(spec.tolerations);
  const added: Record<string, unknown>[] = [];
  for (const [key, tolerationSeconds] of [
    [notReadyTaintKey, seconds?.notReady ?? defaultTolerationSeconds],
    [unreachableTaintKey, seconds?.unreachable ?? defaultTolerationSeconds],
  ] as const) {
    if (existing.some((t) => coversNoExecute(t, key))) continue;
    added.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds });
  }
  if (added.length === 0) return;
  pod.spec = {
    ...spec,
    tolerations: [...(Array.isArray(spec.tolerations) ? spec.tolerations : []), ...added],
  };
}

// As the admission plugin: key and effect decide (an empty one matches all), operator and value don't.
function coversNoExecute(toleration: Record<string, unknown>, key: string): boolean {
  const k = textAt(toleration.key);
  const effect = textAt(toleration.effect);
  return (k === "" || k === key) && (effect === "" || effect === "NoExecute");
}
