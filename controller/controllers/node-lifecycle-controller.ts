import type { Logger } from "../../lib/logger.js";
import type { ApiDeps } from "../api/context.js";
import { clone, nowTimestamp } from "../api/objects/api-object.js";
import { prepareUpdate } from "../api/objects/prepare-update.js";
import { ApiError } from "../api/status.js";
import { objectKey } from "../client/informer.js";
import type { InformerSet } from "../client/informer-set.js";
import { WorkQueue, type QueueMetricsProvider } from "../client/work-queue.js";
import { readyStatus } from "../nodelifecycle/node-conditions.js";
import { isSilent, observeHealth, type NodeHealth } from "../nodelifecycle/node-health.js";
import {
  hasChanges,
  lifecycleTaintChanges,
  withTaintChanges,
  type NoExecuteMode,
  type TaintChanges,
} from "../nodelifecycle/node-taints.js";
import { notReadyPodStatus, podReadyStatus } from "../nodelifecycle/pod-readiness.js";
import type { NodeLifecycleSettings } from "../nodelifecycle/settings.js";
import { unknownConditions } from "../nodelifecycle/stale-node-status.js";
import {
  countsForDisruption,
  disruptionView,
  zoneOf,
  type DisruptionView,
} from "../nodelifecycle/zone-state.js";
import type { KubeObject } from "../resources/kube-object.js";
import { EventRecorder } from "./event-recorder.js";
import { updateSeen } from "./object-writes.js";

const manager = "node-lifecycle-controller";
const component = "node-controller";
const leaseNamespace = "kube-node-lease";
const statusWritesInFlight = 16;

/**
 * Kubernetes' node lifecycle controller: a node whose Lease and Ready heartbeat stop for the
 * grace period gets its kubelet conditions Unknown; each node's taints follow its conditions
 * (unreachable / not-ready NoExecute and NoSchedule, pressure, cordon); pods on a node that
 * stopped being Ready are marked not Ready. Decisions: nodelifecycle/. Evicting the pods is the
 * taint eviction controller's job.
 */
export class NodeLifecycleController {
  private readonly health = new Map<string, NodeHealth>();
  /** Each node's Ready status as this controller last left it (undefined: none yet). */
  private readonly ready = new Map<string, string>();
  /** Zone states from the last pass; until the first, no NoExecute taint is added. */
  private disruption?: DisruptionView;
  private readonly taintQueue: WorkQueue;
  private readonly podQueue: WorkQueue;
  private readonly timer: NodeJS.Timeout;
  private readonly events: EventRecorder;
  private monitoring = false;
  private stopped = false;

  constructor(
    private readonly deps: ApiDeps,
    private readonly informers: InformerSet,
    private readonly logger: Logger,
    private readonly settings: NodeLifecycleSettings,
    queueMetrics?: QueueMetricsProvider,
  ) {
    this.events = new EventRecorder(deps, component, logger);
    // kube-controller-manager's queue names, for workqueue_* metrics.
    this.taintQueue = new WorkQueue(
      "node_lifecycle_controller",
      (name) => this.syncTaints(name),
      logger,
      4,
      informers.synced,
      queueMetrics,
    );
    this.podQueue = new WorkQueue(
      "node_lifecycle_controller_pods",
      (key) => this.markPod(key),
      logger,
      4,
      informers.synced,
      queueMetrics,
    );
    informers.of("coordination.k8s.io", "leases");
    informers.of("", "nodes").on({
      add: (node) => this.nodeChanged(node),
      update: (_old, node) => this.nodeChanged(node),
      delete: (node) => this.nodeGone(node),
    });
    informers.of("", "pods").on({
      add: (pod) => this.podChanged(pod),
      update: (_old, pod) => this.podChanged(pod),
    });
    this.timer = setInterval(() => void this.monitor(), settings.monitorPeriodMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.taintQueue.stop();
    this.podQueue.stop();
  }

  /** One pass over every node: health, status, zone states, taints (monitorNodeHealth). */
  async monitor(): Promise<void> {
    if (this.monitoring || this.stopped) return;
    this.monitoring = true;
    try {
      await this.monitorOnce();
    } catch (err) {
      this.logger.warn("node health check failed", { error: (err as Error).message });
    } finally {
      this.monitoring = false;
    }
  }

  private async monitorOnce(): Promise<void> {
    const now = this.deps.now().getTime();
    const leases = this.informers.of("coordination.k8s.io", "leases");
    const nodes = this.informers.of("", "nodes").list();
    const silent: KubeObject[] = [];
    for (const node of nodes) {
      const name = node.metadata?.name ?? "";
      const health = observeHealth(
        this.health.get(name),
        node,
        leases.get(leaseNamespace, name),
        now,
      );
      this.health.set(name, health);
      if (isSilent(health, now, this.settings)) silent.push(node);
    }
    const current = new Map(nodes.map((n) => [n.metadata?.name ?? "", n]));
    for (let i = 0; i < silent.length && !this.stopped; i += statusWritesInFlight) {
      const written = await Promise.all(
        silent.slice(i, i + statusWritesInFlight).map((n) => this.markUnknown(n)),
      );
      for (const node of written) if (node) current.set(node.metadata?.name ?? "", node);
    }
    if (this.stopped) return;
    for (const [name, node] of current) this.noteReady(name, node);
    this.updateDisruption([...current.values()], now);
    for (const node of current.values()) this.queueTaintsIfNeeded(node);
  }

  /** The node's kubelet conditions made Unknown; answers the written node (undefined: no write). */
  private async markUnknown(node: KubeObject): Promise<KubeObject | undefined> {
    const at = this.deps.now();
    const conditions = unknownConditions(node, nowTimestamp(at));
    if (!conditions) return undefined;
    const name = node.metadata?.name ?? "";
    try {
      const written = await updateSeen(
        this.deps,
        this.informers.of("", "nodes").rt,
        node,
        (o) => {
          o.status = { ...(o.status as object), conditions };
        },
        { subresource: "status", manager },
      );
      this.logger.info("node stopped posting status; its conditions are Unknown", { node: name });
      if (readyStatus(node) === "True") {
        // The node controller refers to a node by its name as uid (so `kubectl describe node` finds it).
        const subject = { ...written, metadata: { ...written.metadata, uid: name } };
        this.events.record(
          subject,
          "Normal",
          "NodeNotReady",
          `Node ${name} status is now: NodeNotReady`,
        );
      }
      return written;
    } catch (err) {
      // 409: the node (its kubelet?) wrote meanwhile; the next pass looks again.
      if (!(err instanceof ApiError && (err.code === 404 || err.code === 409))) throw err;
      return undefined;
    }
  }

  /** Remembers the node's Ready status; on leaving Ready, its pods are marked not Ready. */
  private noteReady(name: string, node: KubeObject): void {
    const status = readyStatus(node);
    const before = this.ready.get(name);
    if (status === undefined) {
      this.ready.delete(name);
      return;
    }
    this.ready.set(name, status);
    if (status !== "True" && (before === undefined || before === "True")) {
      for (const pod of this.podsOn(name)) {
        if (podReadyStatus(pod) === "True") this.podQueue.add(objectKey(pod));
      }
    }
  }

  private updateDisruption(nodes: KubeObject[], now: number): void {
    const before = this.disruption;
    this.disruption = disruptionView(
      nodes
        .filter(countsForDisruption)
        .map((n) => ({ zone: zoneOf(n), ready: readyStatus(n) === "True" })),
    );
    if (this.disruption.allFullyDisrupted && !before?.allFullyDisrupted) {
      this.logger.warn("every node is not Ready: evictions stop until some node is Ready again");
    } else if (before?.allFullyDisrupted && !this.disruption.allFullyDisrupted) {
      // Leaving it, every node gets a full grace period again before being judged.
      this.logger.info("some nodes are Ready again: evictions resume");
      for (const health of this.health.values()) health.probeAt = now;
    }
    for (const [zone, state] of this.disruption.states) {
      if (before?.states.get(zone) !== state && (state !== "Normal" || before?.states.has(zone))) {
        this.logger.info("zone state changed", { zone: zone || "(none)", state });
      }
    }
  }

  private modeFor(node: KubeObject): NoExecuteMode {
    return this.disruption?.modeOf(zoneOf(node)) ?? "paused";
  }

  private nodeChanged(node: KubeObject): void {
    this.queueTaintsIfNeeded(node);
    const name = node.metadata?.name ?? "";
    if (this.ready.has(name)) this.noteReady(name, node);
  }

  private nodeGone(node: KubeObject): void {
    const name = node.metadata?.name ?? "";
    this.health.delete(name);
    this.ready.delete(name);
  }

  private queueTaintsIfNeeded(node: KubeObject): void {
    const changes = lifecycleTaintChanges(node, this.modeFor(node), nowTimestamp(this.deps.now()));
    if (hasChanges(changes)) this.taintQueue.add(node.metadata?.name ?? "");
  }

  /** Brings the stored node's lifecycle taints in line with its stored status and spec. */
  private async syncTaints(name: string): Promise<void> {
    const nodes = this.informers.of("", "nodes").rt;
    let made: TaintChanges | undefined;
    try {
      const result = await this.deps.resources.update(nodes, "", name, (current) => {
        const changes = lifecycleTaintChanges(
          current,
          this.modeFor(current),
          nowTimestamp(this.deps.now()),
        );
        if (!hasChanges(changes)) return undefined;
        made = changes;
        const next = clone(current);
        const spec = (next.spec ??= {}) as { taints?: unknown[] };
        spec.taints = withTaintChanges(spec.taints, changes);
        if (spec.taints.length === 0) delete spec.taints;
        return prepareUpdate(nodes, current, next, {
          subresource: "",
          fieldManager: manager,
          now: this.deps.now(),
        });
      });
      if (result.changed && made) {
        this.logger.info("node taints changed", {
          node: name,
          added: made.add.map((t) => `${t.key}:${t.effect}`),
          removed: made.remove.map((t) => `${t.key}:${t.effect}`),
        });
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
  }

  private podChanged(pod: KubeObject): void {
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!nodeName) return;
    const status = this.ready.get(nodeName);
    if (status !== undefined && status !== "True" && podReadyStatus(pod) === "True") {
      this.podQueue.add(objectKey(pod));
    }
  }

  /** MarkPodsNotReady for one pod, if its node is still not Ready. */
  private async markPod(key: string): Promise<void> {
    const [namespace, name] = key.split("/");
    const pods = this.informers.of("", "pods");
    const pod = pods.get(namespace, name);
    const nodeName = (pod?.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!pod || !nodeName) return;
    const nodeReady = this.ready.get(nodeName);
    if (nodeReady === undefined || nodeReady === "True") return;
    const status = notReadyPodStatus(pod, nowTimestamp(this.deps.now()));
    if (!status) return;
    try {
      await updateSeen(this.deps, pods.rt, pod, (o) => (o.status = status), {
        subresource: "status",
        manager,
      });
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err; // 409: retried with the informer's newer copy
    }
    this.logger.info("pod on a node that is not Ready marked not Ready", {
      pod: key,
      node: nodeName,
    });
    this.events.record(pod, "Warning", "NodeNotReady", "Node is not ready");
  }

  private podsOn(nodeName: string): KubeObject[] {
    return this.informers
      .of("", "pods")
      .list((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName === nodeName);
  }
}
