import type { Logger } from "../../../lib/logger.js";
import type { Container, ObjectReference, Pod } from "../../kube/types.js";
import type { KubeletRuntime } from "../runtime/kubelet-runtime.js";
import type { Backoff } from "./backoff.js";
import type { ImagePuller } from "./image-puller.js";
import type { PodInspector } from "./pod-inspector.js";
import type { StatusManager } from "./status-manager.js";
import type {
  HooksPort,
  PodApiPort,
  PodObserverPort,
  ProbeResultsPort,
  SpecPort,
  SyncEvent,
  VolumesPort,
} from "./sync-ports.js";

/** Everything a pod worker works with, built once by the pod workers. */
export interface SyncDeps {
  runtime: KubeletRuntime;
  inspector: PodInspector;
  images: ImagePuller;
  spec: SpecPort;
  volumes: VolumesPort;
  api: PodApiPort;
  hooks: HooksPort;
  probes: ProbeResultsPort;
  observer: PodObserverPort;
  status: StatusManager;
  crashBackoff: Backoff;
  /** The node's IPs, primary first (status.hostIP / hostIPs). */
  hostIPs: () => string[];
  logger: Logger;
  now: () => number;
}

export function podRef(pod: Pod): ObjectReference {
  const m = pod.metadata ?? {};
  return { apiVersion: "v1", kind: "Pod", namespace: m.namespace, name: m.name, uid: m.uid };
}

/** A container's reference for its events: the pod with fieldPath spec.containers{name}. */
export function containerRef(pod: Pod, container: Container): ObjectReference {
  const init = (pod.spec?.initContainers ?? []).includes(container);
  const list = init ? "initContainers" : "containers";
  return { ...podRef(pod), fieldPath: `spec.${list}{${container.name}}` };
}

export function recordAll(deps: SyncDeps, ref: ObjectReference, events: SyncEvent[]): void {
  for (const e of events) deps.api.recordEvent(ref, e.type, e.reason, e.message);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
