import type { Logger } from "../../lib/logger.js";
import type { ApiDeps } from "../api/context.js";
import { clone } from "../api/objects/api-object.js";
import { deleteWithOptions } from "../api/objects/delete-object.js";
import { prepareUpdate } from "../api/objects/prepare-update.js";
import { ApiError } from "../api/status.js";
import { objectKey } from "../client/informer.js";
import type { InformerSet } from "../client/informer-set.js";
import { WorkQueue, type QueueMetricsProvider } from "../client/work-queue.js";
import {
  evictionDecision,
  taintId,
  timedNoExecuteTaints,
  type EvictionDecision,
} from "../nodelifecycle/eviction-decision.js";
import { disruptionTarget, withCondition } from "../nodelifecycle/disruption-target.js";
import { nodeTaints } from "../nodelifecycle/node-taints.js";
import type { KubeObject } from "../resources/kube-object.js";
import { EventRecorder } from "./event-recorder.js";

const manager = "taint-eviction-controller";

/**
 * Kubernetes' taint eviction controller (the former taint manager): a pod on a node with
 * NoExecute taints it does not tolerate is deleted now; one tolerating them for a while is
 * deleted when the earliest toleration runs out (counted from the taint's timeAdded); one
 * tolerating them for good stays. Taint or toleration changes re-decide, so a pending eviction is
 * cancelled when the taint goes. Deletes are graceful, as a user's `kubectl delete` would be.
 */
export class TaintEvictionController {
  private readonly queue: WorkQueue;
  /** Evictions waiting for their time, by pod key. */
  private readonly pending = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  /** When each node's taints without timeAdded were first seen (node → taint id → ms). */
  private readonly firstSeen = new Map<string, Map<string, number>>();
  /** uids deleted by this controller whose deletion the pod cache has not shown yet. */
  private readonly evicted = new Set<string>();
  private stopped = false;
  private readonly events: EventRecorder;

  constructor(
    private readonly deps: ApiDeps,
    private readonly informers: InformerSet,
    private readonly logger: Logger,
    queueMetrics?: QueueMetricsProvider,
  ) {
    this.events = new EventRecorder(deps, manager, logger);
    // kube-controller-manager's queue name, for workqueue_* metrics.
    this.queue = new WorkQueue(
      "noexec_taint_pod",
      (key) => this.process(key),
      logger,
      4,
      informers.synced,
      queueMetrics,
    );
    informers.of("", "nodes").on({
      add: (node) => this.nodeChanged(undefined, node),
      update: (old, node) => this.nodeChanged(old, node),
      delete: (node) => this.nodeGone(node),
    });
    informers.of("", "pods").on({
      add: (pod) => this.evaluate(pod),
      update: (_old, pod) => this.evaluate(pod),
      delete: (pod) => {
        this.evicted.delete(pod.metadata?.uid ?? "");
        this.cancel(objectKey(pod), false);
      },
    });
  }

  stop(): void {
    this.stopped = true;
    this.queue.stop();
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private nodeChanged(old: KubeObject | undefined, node: KubeObject): void {
    const name = node.metadata?.name ?? "";
    const before = old ? noExecuteSignature(old) : "";
    const after = noExecuteSignature(node);
    if (before === after) return;
    this.rememberFirstSeen(name, node);
    for (const pod of this.podsOn(name)) this.evaluate(pod);
  }

  private nodeGone(node: KubeObject): void {
    const name = node.metadata?.name ?? "";
    this.firstSeen.delete(name);
    // Pods of a deleted node are the pod garbage collector's, not ours.
    for (const pod of this.podsOn(name)) this.cancel(objectKey(pod), false);
  }

  private rememberFirstSeen(nodeName: string, node: KubeObject): void {
    const now = this.deps.now().getTime();
    const seen = this.firstSeen.get(nodeName) ?? new Map<string, number>();
    const current = new Set<string>();
    for (const taint of nodeTaints(node)) {
      if (taint.effect !== "NoExecute" || taint.timeAdded) continue;
      const id = taintId(taint);
      current.add(id);
      if (!seen.has(id)) seen.set(id, now);
    }
    for (const id of seen.keys()) if (!current.has(id)) seen.delete(id);
    if (seen.size > 0) this.firstSeen.set(nodeName, seen);
    else this.firstSeen.delete(nodeName);
  }

  private decide(pod: KubeObject): EvictionDecision {
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? "";
    const node = nodeName ? this.informers.of("", "nodes").get("", nodeName) : undefined;
    const seen = this.firstSeen.get(nodeName);
    const now = this.deps.now().getTime();
    const taints = timedNoExecuteTaints(node, (t) => seen?.get(taintId(t)) ?? now);
    return evictionDecision(pod, taints);
  }

  private evaluate(pod: KubeObject): void {
    if (this.stopped) return;
    const key = objectKey(pod);
    if (this.evicted.has(pod.metadata?.uid ?? "")) {
      if (pod.metadata?.deletionTimestamp) this.evicted.delete(pod.metadata.uid ?? "");
      return;
    }
    const decision = this.decide(pod);
    if (decision.action === "ignore") return this.cancel(key, false);
    if (decision.action === "keep") return this.cancel(key, true, pod);
    const now = this.deps.now().getTime();
    if (decision.at <= now) {
      this.cancel(key, false);
      this.queue.add(key);
      return;
    }
    const existing = this.pending.get(key);
    if (existing?.at === decision.at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => this.queue.add(key), decision.at - now);
    timer.unref();
    this.pending.set(key, { at: decision.at, timer });
  }

  /** Drops a pending eviction; with `announce`, says so in an event as Kubernetes does. */
  private cancel(key: string, announce: boolean, pod?: KubeObject): void {
    const existing = this.pending.get(key);
    if (!existing) return;
    clearTimeout(existing.timer);
    this.pending.delete(key);
    if (announce && pod) {
      this.logger.info("pod tolerates its node's taints again; eviction cancelled", { pod: key });
      this.events.record(
        pod,
        "Normal",
        "TaintManagerEviction",
        `Cancelling deletion of Pod ${key}`,
      );
    }
  }

  /** Evicts the pod if, by the current caches, its time has come; reschedules otherwise. */
  private async process(key: string): Promise<void> {
    const [namespace, name] = key.split("/");
    const pods = this.informers.of("", "pods");
    const pod = pods.get(namespace, name);
    if (!pod || this.evicted.has(pod.metadata?.uid ?? "")) return;
    const decision = this.decide(pod);
    if (decision.action === "evict" && decision.at > this.deps.now().getTime()) {
      // Early (timers may fire a little before the wall clock says) or later now: wait again.
      const fired = this.pending.get(key);
      if (fired) clearTimeout(fired.timer);
      this.pending.delete(key);
    }
    if (decision.action !== "evict" || decision.at > this.deps.now().getTime()) {
      this.evaluate(pod);
      return;
    }
    this.pending.delete(key);
    const uid = pod.metadata?.uid;
    await this.markDisruptionTarget(pod);
    try {
      await deleteWithOptions(this.deps, pods.rt, namespace, name, {
        dryRun: false,
        preconditions: uid ? { uid } : undefined,
      });
    } catch (err) {
      // Gone already, or the name belongs to a newer pod now.
      if (err instanceof ApiError && (err.code === 404 || err.code === 409)) return;
      throw err;
    }
    if (uid) this.evicted.add(uid);
    this.logger.info("evicted a pod from a NoExecute-tainted node", {
      pod: key,
      node: (pod.spec as { nodeName?: string } | undefined)?.nodeName,
    });
    this.events.record(pod, "Normal", "TaintManagerEviction", `Marking for deletion Pod ${key}`);
  }

  /** DisruptionTarget=True (DeletionByTaintManager) on the pod before it goes, as Kubernetes does. */
  private async markDisruptionTarget(pod: KubeObject): Promise<void> {
    const pods = this.informers.of("", "pods").rt;
    const meta = pod.metadata ?? {};
    try {
      await this.deps.resources.update(pods, meta.namespace ?? "", meta.name ?? "", (current) => {
        if (current.metadata?.uid !== meta.uid) return undefined;
        const status = withCondition(current.status, disruptionTarget(this.deps.now()));
        if (!status) return undefined;
        const next = clone(current);
        next.status = status;
        return prepareUpdate(pods, current, next, {
          subresource: "status",
          fieldManager: manager,
          now: this.deps.now(),
        });
      });
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
  }

  private podsOn(nodeName: string): KubeObject[] {
    return this.informers
      .of("", "pods")
      .list((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName === nodeName);
  }
}

/** The node's NoExecute taints as one comparable string. */
function noExecuteSignature(node: KubeObject): string {
  return JSON.stringify(
    nodeTaints(node)
      .filter((t) => t.effect === "NoExecute")
      .map((t) => [t.key, t.value ?? "", t.timeAdded ?? ""]),
  );
}
