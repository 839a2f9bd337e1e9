import type { Container, Pod, PodSpec } from "../../../../../agent/kube/types.js";

/** A pod "web" in "default" with one container "app" (busybox), merged with what a test needs. */
export function makePod(spec: Partial<PodSpec> = {}, metadata: Pod["metadata"] = {}): Pod {
  return {
    metadata: { name: "web", namespace: "default", uid: "uid-1", ...metadata },
    spec: { containers: [{ name: "app", image: "busybox:1.36" }], ...spec },
  };
}

/** A container with resources, for QoS and resource tests. */
export function withResources(
  name: string,
  requests?: Record<string, string>,
  limits?: Record<string, string>,
  extra: Partial<Container> = {},
): Container {
  return { name, image: "busybox:1.36", resources: { requests, limits }, ...extra };
}
