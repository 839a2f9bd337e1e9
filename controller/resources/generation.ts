import type { KubeObject } from "./kube-object.js";
import { semanticallyEqual } from "./semantic-equal.js";

/**
 * Whether an update changes what metadata.generation counts: the spec. Kinds without a spec
 * (ConfigMap, Secret, Event…) never bump it.
 */
export function generationChanged(oldObj: KubeObject, newObj: KubeObject): boolean {
  if (oldObj.spec === undefined && newObj.spec === undefined) return false;
  return !semanticallyEqual(oldObj.spec, newObj.spec);
}
