import type { KubeObject } from "../../resources/kube-object.js";
import { objectAt, objectsAt, textAt } from "../../resources/json-access.js";
import { badRequest } from "../status.js";

/** Every container name of the pod: init containers, containers, then ephemeral containers. */
export function containerNames(pod: KubeObject): string[] {
  const spec = objectAt(pod.spec) ?? {};
  return ["initContainers", "containers", "ephemeralContainers"].flatMap((list) =>
    objectsAt(spec[list]).map((c) => textAt(c.name)),
  );
}

/**
 * The container a log or exec request is about, as kube-apiserver's validateContainer picks it:
 * the one named, which must be one of the pod's; without a name, the pod's only container.
 */
export function pickContainer(pod: KubeObject, requested: string): string {
  const name = textAt(pod.metadata?.name);
  if (requested) {
    if (!containerNames(pod).includes(requested)) {
      throw badRequest(`container ${requested} is not valid for pod ${name}`);
    }
    return requested;
  }
  const regular = objectsAt(objectAt(pod.spec)?.containers);
  if (regular.length === 1) return textAt(regular[0]!.name);
  if (regular.length === 0) {
    throw badRequest(`a container name must be specified for pod ${name}`);
  }
  throw badRequest(
    `a container name must be specified for pod ${name}, choose one of: [${containerNames(pod).join(" ")}]`,
  );
}
