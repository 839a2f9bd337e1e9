import type { Logger } from "../../../lib/logger.js";
import type { Pod, PodStatus } from "../../kube/types.js";
import type { PodStartObserver } from "../metrics/pod-start-tracker.js";
import { errorMessage } from "./sync-deps.js";
import { sameStatus } from "./status-equality.js";
import type { PodApiPort } from "./sync-ports.js";

export interface StatusManagerOptions {
  api: Pick<PodApiPort, "patchPodStatus">;
  logger: Logger;
  /** Writes in flight at once (default 4). */
  concurrency?: number;
  /** Wait before retrying a failed write (default 1 s). */
  retryMs?: number;
  /** Told of each status set (kubelet_pod_start_*). */
  podStarts?: Pick<PodStartObserver, "statusSet">;
}

interface Entry {
  namespace: string;
  name: string;
  uid: string;
  latest: PodStatus;
  written?: PodStatus;
  writing: boolean;
  retry?: NodeJS.Timeout;
  waiters: (() => void)[];
}

/**
 * kubelet's status manager: keeps the newest status of each pod and writes it to the API in the
 * background — one write per pod at a time however often it changes (the newest wins), only when
 * it differs from what was written (transition times aside), at most `concurrency` writes at
 * once, retrying failures.
 */
export class StatusManager {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: string[] = [];
  private active = 0;
  private stopped = false;
  private scheduled = false;

  constructor(private readonly options: StatusManagerOptions) {}

  set(pod: Pod, status: PodStatus): void {
    const m = pod.metadata ?? {};
    if (!m.uid || !m.name || !m.namespace) return;
    const entry = this.entries.get(m.uid) ?? {
      namespace: m.namespace,
      name: m.name,
      uid: m.uid,
      latest: status,
      writing: false,
      waiters: [],
    };
    entry.latest = structuredClone(status);
    this.entries.set(m.uid, entry);
    this.options.podStarts?.statusSet(m.uid, status);
    this.enqueue(m.uid);
  }

  /** The newest status set for the pod (written or not). */
  get(uid: string): PodStatus | undefined {
    return this.entries.get(uid)?.latest;
  }

  /** The last status the API accepted for the pod. */
  lastWritten(uid: string): PodStatus | undefined {
    return this.entries.get(uid)?.written;
  }

  /** Resolves once the pod's newest status was written, or a write of it was tried and failed. */
  async flush(uid: string): Promise<void> {
    const entry = this.entries.get(uid);
    if (!entry || (!entry.writing && sameStatus(entry.latest, entry.written))) return;
    await new Promise<void>((resolve) => {
      entry.waiters.push(resolve);
      if (entry.retry) {
        clearTimeout(entry.retry);
        entry.retry = undefined;
        this.enqueue(uid);
      }
    });
  }

  forget(uid: string): void {
    const entry = this.entries.get(uid);
    if (entry?.retry) clearTimeout(entry.retry);
    this.entries.delete(uid);
    for (const resolve of entry?.waiters ?? []) resolve();
  }

  stop(): void {
    this.stopped = true;
    for (const uid of [...this.entries.keys()]) this.forget(uid);
  }

  private enqueue(uid: string): void {
    if (this.stopped || this.queue.includes(uid)) return;
    this.queue.push(uid);
    // Everything set in the same turn goes out together: a pod set twice is written once.
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 4;
    while (!this.stopped && this.active < limit && this.queue.length > 0) {
      const uid = this.queue.shift()!;
      const entry = this.entries.get(uid);
      if (!entry || entry.writing) continue;
      void this.write(entry);
    }
  }

  private async write(entry: Entry): Promise<void> {
    const status = entry.latest;
    if (sameStatus(status, entry.written)) return this.settle(entry);
    entry.writing = true;
    this.active++;
    try {
      await this.options.api.patchPodStatus(entry.namespace, entry.name, entry.uid, status);
      entry.written = status;
    } catch (err) {
      this.options.logger.warn("pod status write failed", {
        pod: `${entry.namespace}/${entry.name}`,
        error: errorMessage(err),
      });
      if (!this.stopped && this.entries.get(entry.uid) === entry) {
        entry.retry = setTimeout(() => {
          entry.retry = undefined;
          this.enqueue(entry.uid);
        }, this.options.retryMs ?? 1000);
      }
    } finally {
      entry.writing = false;
      this.active--;
    }
    if (entry.latest !== status && !entry.retry) this.enqueue(entry.uid);
    else this.settle(entry);
    this.pump();
  }

  private settle(entry: Entry): void {
    const waiters = entry.waiters.splice(0);
    for (const resolve of waiters) resolve();
  }
}
