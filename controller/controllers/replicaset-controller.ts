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
import { reconcileReplicaSet } from "../workloads/index.js";
import { controllerKey } from "./controller-owner.js";
import { EventRecorder } from "./event-recorder.js";
import { Expectations } from "./expectations.js";
import { updateSeen } from "./object-writes.js";

const manager = "replicaset-controller";

/** Keeps each ReplicaSet's pods at spec.replicas and its status current (decisions: workloads/). */
export class ReplicaSetController {
  private readonly queue: WorkQueue;
  private readonly expectations = new Expectations();
  private readonly manageErrors = new Map<string, string>();
  private readonly events: EventRecorder;

  constructor(
    private readonly deps: ApiDeps,
    private readonly informers: InformerSet,
    private readonly logger: Logger,
    queueMetrics?: QueueMetricsProvider,
  ) {
    this.queue = new WorkQueue(
      "replicaset",
      (key) => this.sync(key),
      logger,
      4,
      informers.synced,
      queueMetrics,
    );
    this.events = new EventRecorder(deps, manager, logger);
    const sets = informers.of("apps", "replicasets");
    sets.on({
      add: (rs) => this.queue.add(objectKey(rs)),
      update: (_o, rs) => this.queue.add(objectKey(rs)),
      delete: (rs) => this.expectations.forget(objectKey(rs)),
    });
    informers.of("", "pods").on({
      add: (pod) => {
        const owner = controllerKey(pod, "ReplicaSet");
        if (owner) this.expectations.observedAdd(owner);
        this.enqueueFor(pod);
      },
      update: (old, pod) => {
        this.enqueueFor(pod);
        if (controllerKey(old, "ReplicaSet") !== controllerKey(pod, "ReplicaSet"))
          this.enqueueFor(old);
      },
      delete: (pod) => {
        const owner = controllerKey(pod, "ReplicaSet");
        if (owner) this.expectations.observedDelete(owner);
        this.enqueueFor(pod);
      },
    });
  }

  stop(): void {
    this.queue.stop();
  }

  /** The pod's controlling ReplicaSet, or for an orphan every ReplicaSet in its namespace (adoption). */
  private enqueueFor(pod: KubeObject): void {
    const owner = controllerKey(pod, "ReplicaSet");
    if (owner) return this.queue.add(owner);
    if ((pod.metadata?.ownerReferences ?? []).some((r) => r.controller)) return;
    const ns = pod.metadata?.namespace;
    for (const rs of this.informers
      .of("apps", "replicasets")
      .list((r) => r.metadata?.namespace === ns)) {
      this.queue.add(objectKey(rs));
    }
  }

  private async sync(key: string): Promise<void> {
    const [namespace, name] = key.split("/");
    const rs = this.informers.of("apps", "replicasets").get(namespace, name);
    if (!rs || !this.expectations.satisfied(key)) return;
    const pods = this.informers.of("", "pods").list((p) => p.metadata?.namespace === namespace);
    const plan = reconcileReplicaSet(rs, pods, this.deps.now(), {
      manageError: this.manageErrors.get(key),
    });
    const podType = this.informers.of("", "pods").rt;
    for (const pod of [...plan.adopt, ...plan.release]) {
      const seen = this.informers.of("", "pods").get(namespace, pod.metadata?.name ?? "");
      if (!seen) continue;
      await updateSeen(
        this.deps,
        podType,
        seen,
        (o) => (o.metadata!.ownerReferences = pod.metadata?.ownerReferences),
        { manager },
      ).catch(ignoreGone);
    }
    this.expectations.expect(key, plan.create.length, plan.delete.length);
    let failure: string | undefined;
    let index = 0;
    for (const batch of plan.burst) {
      const results = await Promise.allSettled(
        plan.create
          .slice(index, index + batch)
          .map((pod) => createNew(this.deps, podType, pod, { fieldManager: manager })),
      );
      index += batch;
      for (const result of results) {
        if (result.status === "fulfilled") {
          const pod = result.value.metadata?.name ?? "";
          this.events.record(rs, "Normal", "SuccessfulCreate", `Created pod: ${pod}`);
        } else {
          const message = `Error creating: ${(result.reason as Error).message}`;
          this.events.record(rs, "Warning", "FailedCreate", message);
        }
      }
      const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
      if (failed.length > 0) {
        failure = `pods "${name}-" is forbidden: ${(failed[0].reason as Error).message}`;
        this.expectations.lowered(key, failed.length + (plan.create.length - index), 0);
        break;
      }
    }
    await Promise.all(
      plan.delete.map(async (pod) => {
        const podName = pod.metadata?.name ?? "";
        try {
          await deleteWithOptions(this.deps, podType, namespace, podName, { dryRun: false });
          this.events.record(rs, "Normal", "SuccessfulDelete", `Deleted pod: ${podName}`);
        } catch (err) {
          this.expectations.lowered(key, 0, 1);
          if (!(err instanceof ApiError && err.code === 404)) {
            failure = (err as Error).message;
            this.events.record(rs, "Warning", "FailedDelete", `Error deleting: ${failure}`);
          }
        }
      }),
    );
    if (failure) this.manageErrors.set(key, failure);
    else this.manageErrors.delete(key);
    if (!jsonEqual(rs.status ?? {}, plan.status)) {
      await updateSeen(
        this.deps,
        this.informers.of("apps", "replicasets").rt,
        rs,
        (o) => (o.status = plan.status),
        {
          subresource: "status",
          manager,
        },
      ).catch(ignoreGone);
    }
    if (plan.recheckAt)
      this.queue.addAfter(key, Math.max(0, plan.recheckAt.getTime() - Date.now()));
    if (failure) throw new Error(failure);
  }
}

function ignoreGone(err: unknown): void {
  if (err instanceof ApiError && err.code === 404) return;
  throw err;
}
