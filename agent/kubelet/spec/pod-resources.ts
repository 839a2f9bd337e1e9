import type { Container, Pod } from "../../kube/types.js";
import { containerField } from "./pod-containers.js";
import { addQuantities, compareQuantities, parseQuantity, type Quantity } from "./quantity.js";

/** Resource name → amount, exact. */
export type ResourceTotals = Map<string, Quantity>;

/**
 * A container's requests as the API server defaults them for a pod: a resource with a limit and
 * no request requests its limit. Parsed, with errors naming the field.
 */
export function containerRequests(pod: Pod, container: Container): ResourceTotals {
  const requests = parseList(pod, container, "requests", container.resources?.requests ?? {});
  for (const [name, limit] of containerLimits(pod, container)) {
    if (!requests.has(name)) requests.set(name, limit);
  }
  return requests;
}

export function containerLimits(pod: Pod, container: Container): ResourceTotals {
  return parseList(pod, container, "limits", container.resources?.limits ?? {});
}

function parseList(
  pod: Pod,
  container: Container,
  kind: "requests" | "limits",
  list: Record<string, string>,
): ResourceTotals {
  const base = `${containerField(pod, container)}.resources.${kind}`;
  return new Map(
    Object.entries(list).map(([name, text]) => [name, parseQuantity(text, `${base}.${name}`)]),
  );
}

function addInto(total: ResourceTotals, list: ResourceTotals): void {
  for (const [name, q] of list) {
    const prev = total.get(name);
    total.set(name, prev ? addQuantities(prev, q) : q);
  }
}

function maxInto(total: ResourceTotals, list: ResourceTotals): void {
  for (const [name, q] of list) {
    const prev = total.get(name);
    if (!prev || compareQuantities(q, prev) > 0) total.set(name, q);
  }
}

/**
 * What the whole pod needs (overhead excluded), as Kubernetes' PodRequests/PodLimits count it:
 * the app containers and sidecars together, or the largest init step if that is bigger — an init
 * container runs beside the sidecars started before it.
 */
function aggregate(pod: Pod, of: (pod: Pod, c: Container) => ResourceTotals): ResourceTotals {
  const total: ResourceTotals = new Map();
  for (const c of pod.spec?.containers ?? []) addInto(total, of(pod, c));
  const sidecars: ResourceTotals = new Map();
  const initPeak: ResourceTotals = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const own = of(pod, c);
    if (c.restartPolicy === "Always") {
      addInto(total, own);
      addInto(sidecars, own);
      maxInto(initPeak, sidecars);
    } else {
      const step: ResourceTotals = new Map(own);
      addInto(step, sidecars);
      maxInto(initPeak, step);
    }
  }
  maxInto(total, initPeak);
  return total;
}

export function podRequests(pod: Pod): ResourceTotals {
  return aggregate(pod, containerRequests);
}

export function podLimits(pod: Pod): ResourceTotals {
  return aggregate(pod, containerLimits);
}
