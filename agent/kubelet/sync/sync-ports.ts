import type { Container, ObjectReference, Pod, PodStatus } from "../../kube/types.js";
import type { RuntimePod } from "./runtime-pod.js";
import type { ContainerConfig } from "../../../proto/gen/runtime/v1/ContainerConfig.js";
import type { PodSandboxConfig } from "../../../proto/gen/runtime/v1/PodSandboxConfig.js";

/*
 * The pieces the pod workers call, as small interfaces: the real modules (agent/kubelet/spec,
 * agent/kubelet/volumes, agent/kube, the prober) are adapted to them where the agent is wired,
 * and unit tests pass fakes.
 */

/** An event to record on the pod (or one of its containers, by `fieldPath`). */
export interface SyncEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

/** A CRI sandbox or container entry, as listed, to read the kubelet's labels back from. */
export interface LabeledEntry {
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  metadata?: { name?: string; namespace?: string; uid?: string; attempt?: number } | null;
}

/** What a container's labels and annotations say about the pod and spec it was made for. */
export interface ContainerLabels {
  podUid: string;
  podName: string;
  podNamespace: string;
  containerName: string;
  /** containerHash() of the spec it was created from ("" when unknown). */
  hash: string;
  restartCount: number;
  terminationMessagePath?: string;
  terminationMessagePolicy?: string;
  /** The grace period to stop it with when its pod is no longer known. */
  terminationGracePeriodSeconds?: number;
}

export interface SandboxLabels {
  podUid: string;
  podName: string;
  podNamespace: string;
  attempt: number;
}

export interface ContainerConfigInput {
  restartCount: number;
  /** The image's id, as the runtime reported it after the pull or status. */
  imageRef: string;
  /** The image config's User ("" when unset), for the runAsNonRoot check. */
  imageUser: string;
  podIPs: string[];
  volumes: ReadonlyMap<string, HostVolume>;
}

/** Pod spec → CRI configs (agent/kubelet/spec). */
export interface SpecPort {
  sandboxConfig(
    pod: Pod,
    attempt: number,
  ): Promise<{ config: PodSandboxConfig; events: SyncEvent[] }>;
  /** Throws when the config cannot be made: shown as CreateContainerConfigError with its message. */
  containerConfig(
    pod: Pod,
    container: Container,
    input: ContainerConfigInput,
  ): Promise<{ config: ContainerConfig; events: SyncEvent[] }>;
  sandboxLabels(entry: LabeledEntry): SandboxLabels | undefined;
  containerLabels(entry: LabeledEntry): ContainerLabels | undefined;
  containerHash(container: Container): string;
  pullPolicy(container: Container): "Always" | "IfNotPresent" | "Never";
  qosClass(pod: Pod): "Guaranteed" | "Burstable" | "BestEffort";
}

export interface HostVolume {
  hostPath: string;
  readOnly?: boolean;
}

/** A pod's volumes on the host (agent/kubelet/volumes). Both are idempotent. */
export interface VolumesPort {
  setUp(pod: Pod): Promise<ReadonlyMap<string, HostVolume>>;
  tearDown(uid: string): Promise<void>;
}

/** The Kubernetes API, as the kubelet writes to it (agent/kube). */
export interface PodApiPort {
  patchPodStatus(namespace: string, name: string, uid: string, status: PodStatus): Promise<void>;
  /** Deletes with grace 0 and a uid precondition: confirms the kubelet finished terminating. */
  deletePod(namespace: string, name: string, uid: string): Promise<void>;
  recordEvent(
    ref: ObjectReference,
    type: "Normal" | "Warning",
    reason: string,
    message: string,
  ): void;
}

export type ProbeResult = "success" | "failure";

/** The latest result of each probe of a running container, by its runtime id (absent: none yet). */
export interface ProbeResultsPort {
  liveness(containerId: string): ProbeResult | undefined;
  readiness(containerId: string): ProbeResult | undefined;
  startup(containerId: string): ProbeResult | undefined;
}

/** Lifecycle hooks; both throw (with the message kubelet shows) when the hook fails. */
export interface HooksPort {
  runPostStart(pod: Pod, container: Container, containerId: string): Promise<void>;
  /** Resolves when the hook finished or `deadlineMs` (epoch ms) passed. */
  runPreStop(
    pod: Pod,
    container: Container,
    containerId: string,
    deadlineMs: number,
  ): Promise<void>;
}

/** No probes yet: nothing fails, readiness follows the rules for containers without probes. */
export const noProbeResults: ProbeResultsPort = {
  liveness: () => undefined,
  readiness: () => undefined,
  startup: () => undefined,
};

/** No hooks runner yet: hooks are skipped. */
export const noHooks: HooksPort = {
  runPostStart: async () => undefined,
  runPreStop: async () => undefined,
};

/**
 * Told what the runtime holds for a pod after each sync, and when its worker is done: the
 * prober starts and stops its probe workers from this.
 */
export interface PodObserverPort {
  synced(pod: Pod, runtime: RuntimePod): void;
  gone(uid: string): void;
}

export const noPodObserver: PodObserverPort = { synced: () => undefined, gone: () => undefined };
