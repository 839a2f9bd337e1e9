import type { Logger } from "../../lib/logger.js";
import type { ApiDeps } from "../api/context.js";
import { createNew } from "../api/objects/create-new.js";
import { deleteWithOptions } from "../api/objects/delete-object.js";
import { jsonEqual } from "../patch/json-value.js";
import { ApiError } from "../api/status.js";
import { objectKey } from "../client/informer.js";
import type { InformerSet } from "../client/informer-set.js";
import { WorkQueue, type QueueMetricsProvider } from "../client/work-queue.js";
import type { KubeObject } from "../resources/kube-object.js";
import { reconcileDeployment } from "../workloads/index.js";
import { controllerKey } from "./controller-owner.js";
import { EventRecorder } from "./event-recorder.js";
import { updateSeen } from "./object-writes.js";

const manager = "deployment-controller";
const revisionAnnotation = "deployment.kubernetes.io/revision";

/**
 * Rolls Deployments through their ReplicaSets (decisions: workloads/): creates the new
 * ReplicaSet, scales new and old within maxSurge/maxUnavailable, keeps history and status.
 */
export class DeploymentController {
  private readonly queue: WorkQueue;
  /** A ReplicaSet this controller created and its informer has not shown yet, per deployment. */
  private readonly awaitedSets = new Map<string, { name: string; until: number }>();
  private readonly events: EventRecorder;

  constructor(
    private readonly deps: ApiDeps,
    private readonly informers: InformerSet,
    private readonly logger: Logger,
    queueMetrics?: QueueMetricsProvider,
  ) {
    this.queue = new WorkQueue(
      "deployment",
      (key) => this.sync(key),
      logger,
      4,
      informers.synced,
      queueMetrics,
    );
    this.events = new EventRecorder(deps, manager, logger);
    informers.of("apps", "deployments").on({
      add: (d) => this.queue.add(objectKey(d)),
      update: (_o, d) => this.queue.add(objectKey(d)),
      delete: (d) => this.awaitedSets.delete(objectKey(d)),
    });
    const setChanged = (rs: KubeObject) => {
      const owner = controllerKey(rs, "Deployment");
      if (owner) this.queue.add(owner);
    };
    informers
      .of("apps", "replicasets")
      .on({ add: setChanged, update: (_o, rs) => setChanged(rs), delete: setChanged });
    const podChanged = (pod: KubeObject) => {
      const rsKey = controllerKey(pod, "ReplicaSet");
      if (!rsKey) return;
      const [ns, name] = rsKey.split("/");
      const rs = informers.of("apps", "replicasets").get(ns, name);
      if (rs) setChanged(rs);
    };
    informers
      .of("", "pods")
      .on({ add: podChanged, update: (_o, p) => podChanged(p), delete: podChanged });
  }

  stop(): void {
    this.queue.stop();
  }

  private async sync(key: string): Promise<void> {
    const [namespace, name] = key.split("/");
    const deployments = this.informers.of("apps", "deployments");
    const sets = this.informers.of("apps", "replicasets");
    const d = deployments.get(namespace, name);
    if (!d) return;
    const awaited = this.awaitedSets.get(key);
    if (awaited && !sets.get(namespace, awaited.name) && Date.now() < awaited.until) return;
    this.awaitedSets.delete(key);

    const replicaSets = sets.list((rs) => rs.metadata?.namespace === namespace);
    const pods = this.informers.of("", "pods").list((p) => p.metadata?.namespace === namespace);
    const plan = reconcileDeployment(d, replicaSets, pods, this.deps.now());
    const setType = sets.rt;

    for (const rs of [...plan.adopt, ...plan.release]) {
      const seen = sets.get(namespace, rs.metadata?.name ?? "");
      if (seen) {
        await updateSeen(
          this.deps,
          setType,
          seen,
          (o) => (o.metadata!.ownerReferences = rs.metadata?.ownerReferences),
          { manager },
        );
      }
    }
    if (plan.createReplicaSet) {
      const wanted = plan.createReplicaSet;
      const created = await createNew(this.deps, setType, wanted, {
        fieldManager: manager,
      }).catch((err: Error) => {
        if (!(err instanceof ApiError && err.code === 409)) {
          const message = `Failed to create new replica set "${wanted.metadata?.name}": ${err.message}`;
          this.events.record(d, "Warning", "FailedCreate", message);
        }
        throw err;
      });
      const createdName = created.metadata?.name ?? "";
      this.awaitedSets.set(key, { name: createdName, until: Date.now() + 5000 });
      const replicas = (created.spec as { replicas?: number } | undefined)?.replicas ?? 0;
      if (replicas > 0) this.scaledEvent(d, createdName, 0, replicas);
    }
    for (const bump of plan.revisionBumps) {
      const seen = sets.get(namespace, bump.name);
      if (!seen) continue;
      await updateSeen(
        this.deps,
        setType,
        seen,
        (o) => {
          o.metadata!.annotations = { ...o.metadata?.annotations, ...bump.annotations };
          if (bump.minReadySeconds !== undefined)
            (o.spec as { minReadySeconds?: number }).minReadySeconds = bump.minReadySeconds;
        },
        { manager },
      );
    }
    for (const scale of plan.scale) {
      const seen = sets.get(namespace, scale.name);
      if (!seen) continue;
      const before = (seen.spec as { replicas?: number } | undefined)?.replicas ?? 1;
      await updateSeen(
        this.deps,
        setType,
        seen,
        (o) => {
          (o.spec as { replicas?: number }).replicas = scale.replicas;
          if (scale.annotations)
            o.metadata!.annotations = { ...o.metadata?.annotations, ...scale.annotations };
        },
        { manager },
      );
      if (before !== scale.replicas) this.scaledEvent(d, scale.name, before, scale.replicas);
    }
    let current = d;
    if (
      plan.deploymentRevision &&
      d.metadata?.annotations?.[revisionAnnotation] !== plan.deploymentRevision
    ) {
      current = await updateSeen(
        this.deps,
        deployments.rt,
        current,
        (o) => {
          o.metadata!.annotations = {
            ...o.metadata?.annotations,
            [revisionAnnotation]: plan.deploymentRevision!,
          };
        },
        { manager },
      );
    }
    if (!jsonEqual(current.status ?? {}, plan.status)) {
      await updateSeen(this.deps, deployments.rt, current, (o) => (o.status = plan.status), {
        subresource: "status",
        manager,
      });
    }
    for (const old of plan.delete) {
      await deleteWithOptions(this.deps, setType, namespace, old, { dryRun: false }).catch(
        (err) => {
          if (!(err instanceof ApiError && err.code === 404)) throw err;
        },
      );
    }
    if (plan.recheckAt)
      this.queue.addAfter(key, Math.max(0, plan.recheckAt.getTime() - Date.now()));
  }

  /** The ScalingReplicaSet event `kubectl describe deployment` shows, worded as Kubernetes does. */
  private scaledEvent(d: KubeObject, replicaSet: string, from: number, to: number): void {
    const direction = to > from ? "up" : "down";
    const message = `Scaled ${direction} replica set ${replicaSet} from ${from} to ${to}`;
    this.events.record(d, "Normal", "ScalingReplicaSet", message);
  }
}
