import type { Container, Pod } from "../../kube/types.js";

/** A container of a pod with where it sits in the spec, for error fields and init-container rules. */
export interface PodContainer {
  container: Container;
  /** "spec.containers[0]", "spec.initContainers[1]". */
  field: string;
  init: boolean;
}

/** App containers first, then init containers, each with its spec path. */
export function podContainers(pod: Pod): PodContainer[] {
  const apps = (pod.spec?.containers ?? []).map((container, i) => ({
    container,
    field: `spec.containers[${i}]`,
    init: false,
  }));
  const inits = (pod.spec?.initContainers ?? []).map((container, i) => ({
    container,
    field: `spec.initContainers[${i}]`,
    init: true,
  }));
  return [...apps, ...inits];
}

/** The spec path of a container of this pod (app containers win a name clash, as in the API). */
export function containerField(pod: Pod, container: Container): string {
  const found =
    podContainers(pod).find((c) => c.container === container) ??
    podContainers(pod).find((c) => c.container.name === container.name);
  return found?.field ?? `container ${JSON.stringify(container.name)}`;
}

/** A sidecar: an init container with restartPolicy Always, which runs beside the app containers. */
export function isSidecar(pod: Pod, container: Container): boolean {
  return (
    container.restartPolicy === "Always" &&
    (pod.spec?.initContainers ?? []).some((c) => c.name === container.name)
  );
}

/** kubelet's format.Pod: "name_namespace(uid)", the way pods are named in its messages. */
export function formatPod(pod: Pod): string {
  const m = pod.metadata ?? {};
  return `${m.name ?? ""}_${m.namespace ?? ""}(${m.uid ?? ""})`;
}
