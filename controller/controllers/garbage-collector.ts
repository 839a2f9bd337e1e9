import type { Logger } from "../../lib/logger.js";
import type { ApiDeps } from "../api/context.js";
import { deleteWithOptions } from "../api/objects/delete-object.js";
import { ApiError } from "../api/status.js";
import type { InformerSet } from "../client/informer-set.js";
import { WorkQueue, type QueueMetricsProvider } from "../client/work-queue.js";
import type { KubeObject, OwnerReference } from "../resources/kube-object.js";
import type { ResourceType } from "../resources/resource-type.js";

const orphanFinalizer = "orphan";
const foregroundFinalizer = "foregroundDeletion";

/**
 * Kubernetes' garbage collector over ownerReferences: a dependent whose owners are all gone is
 * deleted (Background); an owner held by the `orphan` finalizer has its dependents' references
 * removed, one held by `foregroundDeletion` waits until its dependents are gone; then the
 * finalizer goes and with it the owner.
 */
export class GarbageCollector {
  private readonly queue: WorkQueue;
  /** owner uid → dependents' keys ("<plural>.<group>|<namespace>|<name>"). */
  private readonly dependents = new Map<string, Set<string>>();
  private readonly uids = new Map<string, string>();

  constructor(
    private readonly deps: ApiDeps,
    private readonly informers: InformerSet,
    private readonly logger: Logger,
    queueMetrics?: QueueMetricsProvider,
  ) {
    // kube-controller-manager's queue name, for workqueue_* metrics.
    this.queue = new WorkQueue(
      "garbage_collector_attempt_to_delete",
      (key) => this.process(key),
      logger,
      2,
      informers.synced,
      queueMetrics,
    );
    for (const rt of informers.registry.types) {
      informers.for(rt).on({
        add: (obj) => this.observe(rt, obj),
        update: (_old, obj) => this.observe(rt, obj),
        delete: (obj) => this.forget(rt, obj),
      });
    }
  }

  stop(): void {
    this.queue.stop();
  }

  async idle(): Promise<void> {
    await this.queue.idle();
  }

  private observe(rt: ResourceType, obj: KubeObject): void {
    const key = keyOf(rt, obj);
    const uid = obj.metadata?.uid;
    if (uid) this.uids.set(uid, key);
    for (const ref of obj.metadata?.ownerReferences ?? []) {
      let set = this.dependents.get(ref.uid);
      if (!set) this.dependents.set(ref.uid, (set = new Set()));
      set.add(key);
    }
    const finalizers = obj.metadata?.finalizers ?? [];
    const owning = finalizers.includes(orphanFinalizer) || finalizers.includes(foregroundFinalizer);
    if (
      (obj.metadata?.ownerReferences ?? []).length > 0 ||
      (owning && obj.metadata?.deletionTimestamp)
    ) {
      this.queue.add(key);
    }
  }

  private forget(rt: ResourceType, obj: KubeObject): void {
    const uid = obj.metadata?.uid;
    if (!uid) return;
    this.uids.delete(uid);
    for (const dependent of this.dependents.get(uid) ?? []) this.queue.add(dependent);
    for (const ref of obj.metadata?.ownerReferences ?? []) {
      const owner = this.uids.get(ref.uid);
      this.dependents.get(ref.uid)?.delete(keyOf(rt, obj));
      if (owner) this.queue.add(owner); // a foreground owner may now be free to go
    }
  }

  private async process(key: string): Promise<void> {
    const [typeKey, namespace, name] = key.split("|");
    const rt = this.informers.registry.types.find((t) => typeName(t) === typeKey);
    if (!rt) return;
    const obj = await this.deps.resources.tryGet(rt, namespace, name);
    if (!obj) return;
    const meta = obj.metadata ?? {};
    if (meta.deletionTimestamp && meta.finalizers?.includes(orphanFinalizer)) {
      await this.orphanDependents(obj);
      await this.removeFinalizer(rt, obj, orphanFinalizer);
    }
    if (meta.deletionTimestamp && meta.finalizers?.includes(foregroundFinalizer)) {
      const remaining = await this.deleteDependents(obj);
      if (remaining === 0) await this.removeFinalizer(rt, obj, foregroundFinalizer);
      else this.queue.addAfter(key, 500);
    }
    const refs = meta.ownerReferences ?? [];
    if (refs.length === 0) return;
    const dangling: OwnerReference[] = [];
    for (const ref of refs) if (!(await this.ownerExists(ref, namespace))) dangling.push(ref);
    if (dangling.length === refs.length) {
      this.logger.info("deleting an object whose owners are gone", { object: key });
      await this.delete(rt, namespace, name);
    } else if (dangling.length > 0) {
      const gone = new Set(dangling.map((r) => r.uid));
      await this.deps.resources.update(rt, namespace, name, (o) => {
        o.metadata!.ownerReferences = (o.metadata?.ownerReferences ?? []).filter(
          (r) => !gone.has(r.uid),
        );
        return o;
      });
    }
  }

  /** The owner by reference, checked live (not from a cache that may lag): same name and uid. */
  private async ownerExists(ref: OwnerReference, namespace: string): Promise<boolean> {
    const [group, version] = ref.apiVersion.includes("/")
      ? ref.apiVersion.split("/")
      : ["", ref.apiVersion];
    const rt = this.informers.registry.types.find(
      (t) => t.group === group && t.version === version && t.kind === ref.kind,
    );
    if (!rt) return true; // an owner kind we do not serve: never collect on its account
    const owner = await this.deps.resources.tryGet(rt, rt.namespaced ? namespace : "", ref.name);
    return owner?.metadata?.uid === ref.uid;
  }

  private async orphanDependents(owner: KubeObject): Promise<void> {
    const uid = owner.metadata?.uid ?? "";
    for (const key of [...(this.dependents.get(uid) ?? [])]) {
      const [typeKey, namespace, name] = key.split("|");
      const rt = this.informers.registry.types.find((t) => typeName(t) === typeKey);
      if (!rt) continue;
      await this.deps.resources
        .update(rt, namespace, name, (o) => {
          const refs = o.metadata?.ownerReferences ?? [];
          if (!refs.some((r) => r.uid === uid)) return undefined;
          o.metadata!.ownerReferences = refs.filter((r) => r.uid !== uid);
          return o;
        })
        .catch(ignoreNotFound);
    }
  }

  /** Deletes the owner's dependents; answers how many still exist. */
  private async deleteDependents(owner: KubeObject): Promise<number> {
    const uid = owner.metadata?.uid ?? "";
    let remaining = 0;
    for (const key of [...(this.dependents.get(uid) ?? [])]) {
      const [typeKey, namespace, name] = key.split("|");
      const rt = this.informers.registry.types.find((t) => typeName(t) === typeKey);
      if (!rt) continue;
      const dependent = await this.deps.resources.tryGet(rt, namespace, name);
      if (!dependent || !(dependent.metadata?.ownerReferences ?? []).some((r) => r.uid === uid))
        continue;
      remaining++;
      if (!dependent.metadata?.deletionTimestamp) {
        await deleteWithOptions(this.deps, rt, namespace, name, {
          dryRun: false,
          propagationPolicy: "Foreground",
        }).catch(ignoreNotFound);
      }
    }
    return remaining;
  }

  private async removeFinalizer(
    rt: ResourceType,
    obj: KubeObject,
    finalizer: string,
  ): Promise<void> {
    await this.deps.resources
      .update(rt, obj.metadata?.namespace ?? "", obj.metadata?.name ?? "", (o) => {
        if (!o.metadata?.finalizers?.includes(finalizer)) return undefined;
        o.metadata.finalizers = o.metadata.finalizers.filter((f) => f !== finalizer);
        return o;
      })
      .catch(ignoreNotFound);
  }

  private async delete(rt: ResourceType, namespace: string, name: string): Promise<void> {
    await deleteWithOptions(this.deps, rt, namespace, name, {
      dryRun: false,
      propagationPolicy: "Background",
    }).catch(ignoreNotFound);
  }
}

function typeName(rt: ResourceType): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

function keyOf(rt: ResourceType, obj: KubeObject): string {
  return `${typeName(rt)}|${obj.metadata?.namespace ?? ""}|${obj.metadata?.name ?? ""}`;
}

function ignoreNotFound(err: unknown): void {
  if (!(err instanceof ApiError && err.code === 404)) throw err;
}
