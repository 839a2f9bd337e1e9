import type { Logger } from "../../../lib/logger.js";
import type { Container__Output } from "../../../proto/gen/runtime/v1/Container.js";
import type { PodSandbox__Output } from "../../../proto/gen/runtime/v1/PodSandbox.js";
import type { KubeletRuntime } from "../runtime/kubelet-runtime.js";
import type { RuntimePodRef } from "./pod-workers.js";
import type { SpecPort } from "./sync-ports.js";

export type PlegEventType =
  "ContainerStarted" | "ContainerDied" | "ContainerRemoved" | "ContainerChanged" | "SandboxChanged";

export interface PlegEvent {
  podUid: string;
  type: PlegEventType;
  /** The container or sandbox id. */
  id: string;
}

/** What the last relist saw of one pod. */
export interface RelistedPod extends RuntimePodRef {
  sandboxes: PodSandbox__Output[];
  containers: Container__Output[];
}

export interface PlegOptions {
  runtime: Pick<KubeletRuntime, "listPodSandbox" | "listContainers">;
  spec: Pick<SpecPort, "sandboxLabels" | "containerLabels">;
  logger: Logger;
  /** Relist period (kubelet: 1 s). */
  periodMs?: number;
  onEvent(event: PlegEvent): void;
  /** After each relist, with every pod the runtime has. */
  onRelist?(pods: RelistedPod[]): void;
}

/**
 * kubelet's generic PLEG: lists the runtime's sandboxes and containers every period, compares each
 * pod's with the previous relist, and reports what changed (a container started, died, was
 * removed; a sandbox changed) so the pod's worker syncs at once. The last relist is kept as a
 * cache of what the runtime has, by pod uid.
 */
export class Pleg {
  private previous = new Map<string, Map<string, string>>();
  private pods = new Map<string, RelistedPod>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: PlegOptions) {}

  start(): void {
    this.stopped = false;
    this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** The pod as the last relist saw it. */
  pod(uid: string): RelistedPod | undefined {
    return this.pods.get(uid);
  }

  runtimePods(): RelistedPod[] {
    return [...this.pods.values()];
  }

  async relist(): Promise<void> {
    const [sandboxes, containers] = await Promise.all([
      this.options.runtime.listPodSandbox({}),
      this.options.runtime.listContainers({}),
    ]);
    const pods = new Map<string, RelistedPod>();
    const podOf = (uid: string, name: string, namespace: string) => {
      let pod = pods.get(uid);
      if (!pod) pods.set(uid, (pod = { uid, name, namespace, sandboxes: [], containers: [] }));
      return pod;
    };
    for (const s of sandboxes.items) {
      const labels = this.options.spec.sandboxLabels(s);
      if (labels) podOf(labels.podUid, labels.podName, labels.podNamespace).sandboxes.push(s);
    }
    for (const c of containers.containers) {
      const labels = this.options.spec.containerLabels(c);
      if (labels) podOf(labels.podUid, labels.podName, labels.podNamespace).containers.push(c);
    }
    const current = new Map<string, Map<string, string>>();
    for (const [uid, pod] of pods) {
      const states = new Map<string, string>();
      for (const s of pod.sandboxes) states.set(`sandbox:${s.id}`, s.state);
      for (const c of pod.containers) states.set(c.id, c.state);
      current.set(uid, states);
    }
    const events: PlegEvent[] = [];
    for (const uid of new Set([...this.previous.keys(), ...current.keys()])) {
      events.push(...diff(uid, this.previous.get(uid), current.get(uid)));
    }
    this.previous = current;
    this.pods = pods;
    for (const e of events) this.options.onEvent(e);
    this.options.onRelist?.([...pods.values()]);
  }

  private tick(): void {
    if (this.stopped) return;
    this.running = this.relist()
      .catch((err: unknown) => {
        this.options.logger.warn("runtime relist failed", { error: (err as Error).message });
      })
      .finally(() => {
        this.running = undefined;
        if (!this.stopped)
          this.timer = setTimeout(() => this.tick(), this.options.periodMs ?? 1000);
      });
  }
}

function diff(
  podUid: string,
  before: Map<string, string> | undefined,
  after: Map<string, string> | undefined,
): PlegEvent[] {
  const events: PlegEvent[] = [];
  for (const id of new Set([...(before?.keys() ?? []), ...(after?.keys() ?? [])])) {
    const was = before?.get(id);
    const now = after?.get(id);
    if (was === now) continue;
    if (id.startsWith("sandbox:")) {
      events.push({ podUid, type: "SandboxChanged", id: id.slice("sandbox:".length) });
    } else if (now === undefined) {
      events.push({ podUid, type: "ContainerRemoved", id });
    } else if (now === "CONTAINER_RUNNING") {
      events.push({ podUid, type: "ContainerStarted", id });
    } else if (now === "CONTAINER_EXITED") {
      events.push({ podUid, type: "ContainerDied", id });
    } else {
      events.push({ podUid, type: "ContainerChanged", id });
    }
  }
  return events;
}
