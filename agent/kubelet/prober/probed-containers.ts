import type { Container, Pod } from "../../kube/types.js";
import type { ProbeKind } from "./probe-outcome.js";

/** The containers kubelet probes: regular ones and restartable (sidecar) init containers. */
export function probedContainers(pod: Pod): Map<string, Container> {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always");
  return new Map([...sidecars, ...(pod.spec?.containers ?? [])].map((c) => [c.name, c]));
}

/** The probe's path in the pod, for errors: spec.containers[0].livenessProbe. */
export function probeField(pod: Pod, container: Container, kind: ProbeKind): string {
  const inits = pod.spec?.initContainers ?? [];
  const init = inits.indexOf(container);
  const index = init >= 0 ? init : (pod.spec?.containers ?? []).indexOf(container);
  const list = init >= 0 ? "initContainers" : "containers";
  return `spec.${list}[${index >= 0 ? index : container.name}].${kind}Probe`;
}
