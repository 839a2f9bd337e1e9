import type { Pod } from "../../kube/types.js";
import type { PodStartObserver } from "../metrics/pod-start-tracker.js";
import { PodWorker } from "./pod-worker.js";
import type { SyncDeps } from "./sync-deps.js";

export interface PodWorkersOptions {
  /** Periodic resync of a running pod (default 60 s; the PLEG wakes workers on changes). */
  resyncMs?: number;
  /** Retry after a sync that threw (default 5 s). */
  errorRetryMs?: number;
  /** Told of every pod version from the API and of pods done with (kubelet_pod_start_*). */
  podStarts?: Pick<PodStartObserver, "podObserved" | "forget">;
}

/** A pod the runtime has, identified by its labels. */
export interface RuntimePodRef {
  uid: string;
  name: string;
  namespace: string;
}

/**
 * The kubelet's pod workers: one serial worker per pod uid, fed by the API watch (update, remove),
 * woken by the PLEG, and — once the API's list is known — cleaning up runtime pods no API pod owns.
 */
export class PodWorkers {
  private readonly workers = new Map<string, PodWorker>();
  /** Pods cleaned up while the API may still show them (until it reports them gone). */
  private readonly done = new Set<string>();
  private sourcesReady = false;
  private stopped = false;

  constructor(
    private readonly deps: SyncDeps,
    private readonly options: PodWorkersOptions = {},
  ) {}

  /** A pod bound to this node was added or changed. */
  update(pod: Pod): void {
    const uid = pod.metadata?.uid;
    if (!uid || this.stopped || this.done.has(uid)) return;
    this.options.podStarts?.podObserved(pod);
    this.workerFor(pod).update(pod);
  }

  /** The API no longer has the pod (deleted with grace 0, or its deletion was confirmed). */
  remove(pod: Pod): void {
    const uid = pod.metadata?.uid;
    if (!uid || this.stopped) return;
    if (this.done.delete(uid)) return;
    this.workerFor(pod).remove();
  }

  /** Something changed in the runtime for the pod (PLEG). */
  wake(uid: string): void {
    this.workers.get(uid)?.wake();
  }

  /**
   * The full list of pods the API binds to this node (after a list or relist): workers of pods
   * not in it clean up, and from now on runtime pods without a worker are orphans.
   */
  syncKnownPods(pods: Pod[]): void {
    const known = new Set(pods.map((p) => p.metadata?.uid).filter((u): u is string => !!u));
    for (const [uid, worker] of this.workers) if (!known.has(uid)) worker.remove();
    for (const uid of this.done) if (!known.has(uid)) this.done.delete(uid);
    for (const pod of pods) this.update(pod);
    this.sourcesReady = true;
  }

  /** Runtime pods seen by the PLEG: those no API pod owns are stopped and removed. */
  cleanUpOrphans(runtimePods: RuntimePodRef[]): void {
    if (!this.sourcesReady || this.stopped) return;
    for (const ref of runtimePods) {
      if (this.workers.has(ref.uid) || this.done.has(ref.uid)) continue;
      this.deps.logger.info("removing a pod the API does not have", {
        pod: ref.uid,
        name: ref.name,
      });
      const stub: Pod = { metadata: { uid: ref.uid, name: ref.name, namespace: ref.namespace } };
      this.workerFor(stub).remove();
    }
  }

  has(uid: string): boolean {
    return this.workers.has(uid);
  }

  /** Resolves when no worker has a sync running or pending now. */
  async idle(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.idle()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
    this.workers.clear();
  }

  private workerFor(pod: Pod): PodWorker {
    const uid = pod.metadata!.uid!;
    let worker = this.workers.get(uid);
    if (!worker) {
      worker = new PodWorker(this.deps, pod, {
        resyncMs: this.options.resyncMs ?? 60_000,
        errorRetryMs: this.options.errorRetryMs ?? 5_000,
        onTerminated: (id) => this.terminated(id, worker!),
      });
      this.workers.set(uid, worker);
    }
    return worker;
  }

  private terminated(uid: string, worker: PodWorker): void {
    if (this.workers.get(uid) !== worker) return;
    this.workers.delete(uid);
    this.done.add(uid);
    this.options.podStarts?.forget(uid);
  }
}
