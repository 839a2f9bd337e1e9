import type { Logger } from "../../lib/logger.js";
import type { ApiDeps } from "../api/context.js";
import { clone, nowTimestamp } from "../api/objects/api-object.js";
import { prepareUpdate } from "../api/objects/prepare-update.js";
import { assignPod } from "../api/handlers/bind-pod.js";
import { ApiError } from "../api/status.js";
import { objectKey } from "../client/informer.js";
import type { InformerSet } from "../client/informer-set.js";
import { EventRecorder } from "../controllers/event-recorder.js";
import type { KubeObject } from "../resources/kube-object.js";
import { ClusterSnapshot, schedulePod } from "./algorithm/index.js";
import type { SchedulerMetrics } from "./scheduler-metrics.js";
import { SchedulingQueue } from "./scheduling-queue.js";

export const defaultSchedulerName = "default-scheduler";
const maxBindsInFlight = 64;

/**
 * The default scheduler: pods naming `default-scheduler` and no node are placed by the algorithm
 * on a snapshot kept from the informers, assumed there at once (so the next decision counts
 * them) and bound through the API. Pods that fit nowhere get PodScheduled=False and a
 * FailedScheduling event, and wait until nodes or pods change.
 */
export class Scheduler {
  private readonly snapshot = new ClusterSnapshot();
  private readonly queue = new SchedulingQueue();
  private readonly assumed = new Map<string, KubeObject>();
  private readonly reported = new Map<string, { message: string; at: number }>();
  /** When each waiting pod first entered the queue and how often it was tried (metrics). */
  private readonly tries = new Map<string, { since: number; attempts: number }>();
  /** Pods held back by spec.schedulingGates, until the last gate is removed. */
  private readonly gated = new Set<string>();
  private inFlight = 0;
  private draining = false;
  private stopped = false;
  /** No pod is placed before every informer has listed: a node's bound pods must all count. */
  private synced = false;
  private readonly retryTimer: NodeJS.Timeout;
  private readonly events: EventRecorder;

  constructor(
    private readonly deps: ApiDeps,
    private readonly informers: InformerSet,
    private readonly logger: Logger,
    private readonly metrics?: SchedulerMetrics,
  ) {
    metrics?.reportPending(() => ({
      active: this.queue.size,
      backoff: 0,
      unschedulable: this.queue.parkedCount,
      gated: this.gated.size,
    }));
    this.events = new EventRecorder(deps, defaultSchedulerName, logger);
    const pods = informers.of("", "pods");
    const nodes = informers.of("", "nodes");
    nodes.on({
      add: (n) => this.nodeChanged(n),
      update: (_o, n) => this.nodeChanged(n),
      delete: (n) => {
        this.snapshot.removeNode(n.metadata?.name ?? "");
      },
    });
    pods.on({
      add: (p) => this.podChanged(undefined, p),
      update: (o, p) => this.podChanged(o, p),
      delete: (p) => this.podGone(p),
    });
    this.retryTimer = setInterval(() => {
      this.queue.moveParked(Date.now());
      this.drain();
    }, 1000);
    this.retryTimer.unref();
    void informers.synced.then(() => {
      this.synced = true;
      this.drain();
    });
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.retryTimer);
    this.metrics?.reportPending(undefined);
  }

  /** Pods waiting (active) and parked as unschedulable, for tests and metrics. */
  pending(): { active: number; parked: number } {
    return { active: this.queue.size, parked: this.queue.parkedCount };
  }

  private nodeChanged(node: KubeObject): void {
    this.snapshot.upsertNode(node);
    this.queue.moveParked(Date.now(), true);
    this.drain();
  }

  private podChanged(old: KubeObject | undefined, pod: KubeObject): void {
    const key = objectKey(pod);
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (nodeName) {
      const assumed = this.assumed.get(key);
      if (assumed) {
        this.snapshot.removePod(assumed);
        this.assumed.delete(key);
      }
      if (old && (old.spec as { nodeName?: string } | undefined)?.nodeName)
        this.snapshot.removePod(old);
      this.snapshot.addPod(pod);
      this.queue.remove(key);
      this.reported.delete(key);
      this.tries.delete(key);
      if (isTerminal(pod)) this.queue.moveParked(Date.now(), true);
      return;
    }
    if (isOurs(pod) && isGated(pod)) {
      this.gated.add(key);
      this.queue.remove(key);
      return;
    }
    this.gated.delete(key);
    if (isOurs(pod)) {
      if (!this.tries.has(key)) this.tries.set(key, { since: Date.now(), attempts: 0 });
      this.queue.add(key);
      this.drain();
    }
  }

  private podGone(pod: KubeObject): void {
    const key = objectKey(pod);
    this.gated.delete(key);
    this.queue.remove(key);
    this.reported.delete(key);
    this.tries.delete(key);
    const assumed = this.assumed.get(key);
    if (assumed) this.snapshot.removePod(assumed);
    this.assumed.delete(key);
    if ((pod.spec as { nodeName?: string } | undefined)?.nodeName) {
      this.snapshot.removePod(pod);
      this.queue.moveParked(Date.now(), true);
      this.drain();
    }
  }

  /** Places queued pods one after another; binds run concurrently, bounded. */
  private drain(): void {
    if (this.draining || this.stopped || !this.synced) return;
    this.draining = true;
    try {
      while (this.inFlight < maxBindsInFlight) {
        const key = this.queue.pop();
        if (key === undefined) break;
        const [namespace, name] = key.split("/");
        const pod = this.informers.of("", "pods").get(namespace, name);
        if (!pod || !isOurs(pod) || (pod.spec as { nodeName?: string }).nodeName) continue;
        this.scheduleOne(key, pod);
      }
    } finally {
      this.draining = false;
    }
  }

  private scheduleOne(key: string, pod: KubeObject): void {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
    const tries = this.tries.get(key) ?? { since: Date.now(), attempts: 0 };
    tries.attempts++;
    this.tries.set(key, tries);
    const result = schedulePod(pod, this.snapshot);
    if ("unschedulable" in result) {
      this.metrics?.attempt("unschedulable", defaultSchedulerName, elapsed());
      this.queue.park(key, Date.now());
      // Report a new reason at once, the same one at most once a minute (as event aggregation would).
      const last = this.reported.get(key);
      if (!last || last.message !== result.message || Date.now() - last.at > 60_000) {
        this.reported.set(key, { message: result.message, at: Date.now() });
        void this.reportUnschedulable(pod, result.message);
      }
      return;
    }
    const bound = clone(pod);
    (bound.spec as { nodeName?: string }).nodeName = result.node;
    this.snapshot.addPod(bound);
    this.assumed.set(key, bound);
    this.inFlight++;
    const pods = this.informers.of("", "pods").rt;
    assignPod(
      this.deps,
      pods,
      pod.metadata?.namespace ?? "",
      pod.metadata?.name ?? "",
      result.node,
      pod.metadata?.uid,
    )
      .then(() => {
        this.metrics?.attempt("scheduled", defaultSchedulerName, elapsed());
        this.metrics?.podScheduled(tries.attempts, (Date.now() - tries.since) / 1000);
        if (this.tries.get(key) === tries) this.tries.delete(key);
      })
      .catch((err) => {
        this.metrics?.attempt("error", defaultSchedulerName, elapsed());
        // Already bound elsewhere, deleted, or the store failed: forget the assumption.
        if (this.assumed.get(key) === bound) {
          this.snapshot.removePod(bound);
          this.assumed.delete(key);
        }
        if (!(err instanceof ApiError && (err.code === 404 || err.code === 409))) {
          this.logger.warn("binding failed; will retry", {
            pod: key,
            node: result.node,
            error: (err as Error).message,
          });
          this.queue.add(key);
        }
      })
      .finally(() => {
        this.inFlight--;
        this.drain();
      });
  }

  private async reportUnschedulable(pod: KubeObject, message: string): Promise<void> {
    const pods = this.informers.of("", "pods").rt;
    const namespace = pod.metadata?.namespace ?? "";
    const name = pod.metadata?.name ?? "";
    const now = nowTimestamp(this.deps.now());
    try {
      await this.deps.resources.update(pods, namespace, name, (current) => {
        const status = (current.status ?? {}) as { conditions?: Record<string, unknown>[] };
        const existing = status.conditions?.find((c) => c.type === "PodScheduled");
        if (existing?.status === "False" && existing.message === message) return undefined;
        const next = clone(current);
        const nextStatus = (next.status ??= {}) as { conditions?: Record<string, unknown>[] };
        nextStatus.conditions = [
          ...(nextStatus.conditions ?? []).filter((c) => c.type !== "PodScheduled"),
          {
            type: "PodScheduled",
            status: "False",
            reason: "Unschedulable",
            message,
            lastProbeTime: null,
            lastTransitionTime: now,
          },
        ];
        return prepareUpdate(pods, current, next, {
          subresource: "status",
          fieldManager: defaultSchedulerName,
          now: this.deps.now(),
        });
      });
      this.events.record(pod, "Warning", "FailedScheduling", message);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) {
        this.logger.warn("could not report an unschedulable pod", {
          pod: `${namespace}/${name}`,
          error: (err as Error).message,
        });
      }
    }
  }
}

function isOurs(pod: KubeObject): boolean {
  const spec = (pod.spec ?? {}) as { schedulerName?: string; nodeName?: string };
  return (
    (spec.schedulerName ?? defaultSchedulerName) === defaultSchedulerName &&
    !pod.metadata?.deletionTimestamp &&
    !isTerminal(pod)
  );
}

function isGated(pod: KubeObject): boolean {
  const gates = (pod.spec as { schedulingGates?: unknown[] } | undefined)?.schedulingGates;
  return Array.isArray(gates) && gates.length > 0;
}

function isTerminal(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === "Succeeded" || phase === "Failed";
}
