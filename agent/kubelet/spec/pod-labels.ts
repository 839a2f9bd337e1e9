import type { Container, Pod } from "../../kube/types.js";
import { containerHash } from "./container-hash.js";

/** The labels and annotations kubelet puts on CRI sandboxes and containers (kubelet's names). */
export const criLabels = {
  podName: "io.kubernetes.pod.name",
  podNamespace: "io.kubernetes.pod.namespace",
  podUid: "io.kubernetes.pod.uid",
  containerName: "io.kubernetes.container.name",
} as const;

export const criAnnotations = {
  hash: "io.kubernetes.container.hash",
  restartCount: "io.kubernetes.container.restartCount",
  terminationMessagePath: "io.kubernetes.container.terminationMessagePath",
  terminationMessagePolicy: "io.kubernetes.container.terminationMessagePolicy",
  deletionGracePeriod: "io.kubernetes.pod.deletionGracePeriod",
  terminationGracePeriod: "io.kubernetes.pod.terminationGracePeriod",
  preStopHandler: "io.kubernetes.container.preStopHandler",
  ports: "io.kubernetes.container.ports",
  containerType: "io.kubernetes.container.type",
} as const;

function podIdentityLabels(pod: Pod): Record<string, string> {
  const m = pod.metadata ?? {};
  return {
    [criLabels.podName]: m.name ?? "",
    [criLabels.podNamespace]: m.namespace ?? "",
    [criLabels.podUid]: m.uid ?? "",
  };
}

/** The pod's own labels plus its name, namespace and uid (which win over a pod label of that key). */
export function sandboxLabels(pod: Pod): Record<string, string> {
  return { ...(pod.metadata?.labels ?? {}), ...podIdentityLabels(pod) };
}

export function sandboxAnnotations(pod: Pod): Record<string, string> {
  return { ...(pod.metadata?.annotations ?? {}) };
}

/** Only the identity labels: pod name, namespace, uid and the container's name. */
export function containerLabels(pod: Pod, container: Container): Record<string, string> {
  return { ...podIdentityLabels(pod), [criLabels.containerName]: container.name };
}

/**
 * What kubelet needs to know about a container it finds in the runtime without the pod at hand:
 * its spec hash, restart count, termination message settings, grace periods, preStop hook and
 * ports (JSON), and whether it is an init or app container.
 */
export function containerAnnotations(
  pod: Pod,
  container: Container,
  restartCount: number,
): Record<string, string> {
  const out: Record<string, string> = {
    [criAnnotations.hash]: containerHash(container),
    [criAnnotations.restartCount]: String(restartCount),
    [criAnnotations.terminationMessagePath]:
      container.terminationMessagePath ?? "/dev/termination-log",
    [criAnnotations.terminationMessagePolicy]: container.terminationMessagePolicy ?? "File",
  };
  const deletionGrace = pod.metadata?.deletionGracePeriodSeconds;
  if (deletionGrace !== undefined) out[criAnnotations.deletionGracePeriod] = String(deletionGrace);
  const grace = pod.spec?.terminationGracePeriodSeconds;
  if (grace !== undefined) out[criAnnotations.terminationGracePeriod] = String(grace);
  const preStop = container.lifecycle?.preStop;
  if (preStop) out[criAnnotations.preStopHandler] = JSON.stringify(preStop);
  if ((container.ports ?? []).length > 0)
    out[criAnnotations.ports] = JSON.stringify(container.ports);
  const init = (pod.spec?.initContainers ?? []).some((c) => c.name === container.name);
  const app = (pod.spec?.containers ?? []).some((c) => c.name === container.name);
  if (init || app) out[criAnnotations.containerType] = init ? "init" : "container";
  return out;
}
