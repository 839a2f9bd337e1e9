import { objectAt, objectsAt } from "../json-access.js";
import { compareQuantities, readQuantity, type Quantity } from "../quantity.js";

const computeResources = ["cpu", "memory"];

/**
 * GetPodQOS: Guaranteed when every container limits cpu and memory and requests equal limits,
 * BestEffort when none requests or limits either, Burstable otherwise.
 */
export function podQosClass(
  spec: Record<string, unknown>,
): "Guaranteed" | "Burstable" | "BestEffort" {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const containers = [...objectsAt(spec.containers), ...objectsAt(spec.initContainers)];
  for (const c of containers) {
    const resources = objectAt(c.resources) ?? {};
    const own = (list: unknown) => {
      const out = new Map<string, Quantity>();
      for (const [name, value] of Object.entries(objectAt(list) ?? {})) {
        if (!computeResources.includes(name)) continue;
        const q = readQuantity(value);
        if (!("error" in q) && q.unscaled !== 0n) out.set(name, q);
      }
      return out;
    };
    const req = own(resources.requests);
    const lim = own(resources.limits);
    for (const [k, v] of req) requests.set(k, v);
    for (const [k, v] of lim) limits.set(k, v);
    if (lim.size !== computeResources.length) guaranteed = false;
    for (const [k, v] of req) {
      const l = lim.get(k);
      if (!l || compareQuantities(v, l) !== 0) guaranteed = false;
    }
  }
  if (requests.size === 0 && limits.size === 0) return "BestEffort";
  return guaranteed && containers.length > 0 ? "Guaranteed" : "Burstable";
}
