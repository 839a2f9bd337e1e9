import type { Pod, PodStatus } from "../../kube/types.js";
import type { ContainerReason } from "./container-statuses.js";
import { podsDifferSemantically } from "./pod-changes.js";
import { errorMessage, type SyncDeps } from "./sync-deps.js";
import { syncPod } from "./sync-pod.js";
import {
  cleanUpRemovedPod,
  reportStatus,
  stopFinishedPod,
  terminateDeletedPod,
} from "./terminate-pod.js";

export interface PodWorkerOptions {
  /** Sync at least this often while the pod runs (kubelet: 1 min; PLEG wakes it sooner). */
  resyncMs: number;
  /** Retry a sync that threw after this long. */
  errorRetryMs: number;
  /** Called once the pod is gone from the node and nothing more is to be done. */
  onTerminated(uid: string): void;
}

const terminal = (phase: PodStatus["phase"]) => phase === "Succeeded" || phase === "Failed";

/**
 * One pod's worker: syncs are serial, and updates that arrive during a sync coalesce into one more
 * sync with the newest spec. It runs the pod until it is done (then stops it), deleted (then
 * terminates it and confirms the deletion) or gone from the API (then cleans it up).
 */
export class PodWorker {
  private pod: Pod;
  private removed = false;
  private finished = false;
  private terminated = false;
  private stopped = false;
  private dirty = false;
  private kicked = false;
  private loop?: Promise<void>;
  private timer?: NodeJS.Timeout;
  /** Why each container's last start failed (kubelet's reason cache), for its waiting state. */
  readonly reasons = new Map<string, ContainerReason>();

  constructor(
    private readonly deps: SyncDeps,
    pod: Pod,
    private readonly options: PodWorkerOptions,
  ) {
    this.pod = pod;
  }

  get uid(): string {
    return this.pod.metadata?.uid ?? "";
  }

  /** A newer version of the pod: synced again only when more than its status changed. */
  update(pod: Pod): void {
    const changed = !this.kicked || podsDifferSemantically(this.pod, pod);
    this.pod = pod;
    if (changed) this.kick();
  }

  /** The pod is gone from the API: stop and remove whatever of it the runtime still has. */
  remove(): void {
    this.removed = true;
    this.kick();
  }

  wake(): void {
    this.kick();
  }

  /** Resolves when no sync is running or pending now. */
  async idle(): Promise<void> {
    while (this.loop) await this.loop;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.idle();
  }

  private kick(): void {
    if (this.stopped || this.terminated) return;
    this.kicked = true;
    this.dirty = true;
    this.loop ??= this.run().finally(() => {
      this.loop = undefined;
    });
  }

  private async run(): Promise<void> {
    while (this.dirty && !this.stopped) {
      this.dirty = false;
      clearTimeout(this.timer);
      let retryAt: number | undefined;
      try {
        retryAt = await this.syncOnce();
      } catch (err) {
        this.deps.logger.warn("pod sync failed", { pod: this.uid, error: errorMessage(err) });
        retryAt = this.deps.now() + this.options.errorRetryMs;
      }
      if (this.terminated) break;
      if (retryAt !== undefined && retryAt <= this.deps.now()) this.dirty = true;
      else if (retryAt !== undefined && !this.dirty) this.schedule(retryAt);
    }
    if (this.terminated) {
      this.deps.observer.gone(this.uid);
      this.options.onTerminated(this.uid);
    }
  }

  private schedule(at: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => this.kick(), Math.max(0, at - this.deps.now()));
  }

  /** One step of the pod's life; answers when it wants the next one (undefined: on news only). */
  private async syncOnce(): Promise<number | undefined> {
    const { deps, pod } = this;
    const uid = this.uid;
    if (this.removed) {
      await cleanUpRemovedPod(deps, pod);
      this.terminated = true;
      return undefined;
    }
    if (pod.metadata?.deletionTimestamp) {
      const m = pod.metadata;
      deps.observer.synced(pod, await deps.inspector.inspect(uid, m.name, m.namespace));
      await terminateDeletedPod(deps, pod, this.reasons);
      this.terminated = true;
      return undefined;
    }
    if (this.finished) return undefined;
    if (terminal(deps.status.get(uid)?.phase ?? pod.status?.phase)) {
      await stopFinishedPod(deps, pod, this.reasons);
      this.finished = true;
      return undefined;
    }
    const m = pod.metadata ?? {};
    const state = await deps.inspector.inspect(uid, m.name, m.namespace);
    const outcome = await syncPod(deps, pod, state, this.reasons);
    const after = await deps.inspector.inspect(uid, m.name, m.namespace);
    deps.observer.synced(pod, after);
    const status = reportStatus(deps, pod, after, this.reasons, false);
    if (terminal(status.phase)) return deps.now();
    return Math.min(outcome.retryAt ?? Infinity, deps.now() + this.options.resyncMs);
  }
}
