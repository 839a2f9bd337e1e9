import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import type { ApiDeps } from "../context.js";
import { conflict } from "../status.js";
import { nowTimestamp, subjectOf } from "./api-object.js";
import type { DeleteOptions } from "./delete-options.js";

/** Where a delete left the object. */
export interface DeleteOutcome {
  object: KubeObject;
  /** False while finalizers or a grace period hold it (deletionTimestamp is set). */
  gone: boolean;
}

/**
 * Kubernetes' deletion: preconditions; pods bound to a node get a grace period (the node's agent
 * stops them and deletes with grace 0); objects with finalizers (and namespaces, with their
 * spec.finalizers) are marked with deletionTimestamp and go when the last finalizer does;
 * everything else goes now.
 */
export async function deleteWithOptions(
  deps: ApiDeps,
  rt: ResourceType,
  namespace: string,
  name: string,
  options: DeleteOptions,
): Promise<DeleteOutcome> {
  for (;;) {
    const current = await deps.resources.get(rt, namespace, name);
    checkPreconditions(rt, current, options);
    const grace = gracePeriod(rt, current, options);
    const propagation = propagationFinalizer(options);
    const holds =
      (current.metadata?.finalizers ?? []).length > 0 ||
      rt.kind === "Namespace" ||
      grace > 0 ||
      propagation !== undefined;
    if (options.dryRun) return { object: current, gone: !holds };
    if (!holds) {
      try {
        const object = await deps.resources.delete(
          rt,
          namespace,
          name,
          Number(current.metadata?.resourceVersion),
        );
        return { object, gone: true };
      } catch (err) {
        if ((err as { code?: number }).code === 409) continue; // changed meanwhile: decide again
        throw err;
      }
    }
    const result = await deps.resources.update(rt, namespace, name, (obj) => {
      if (propagation && !obj.metadata?.deletionTimestamp) {
        const meta = (obj.metadata ??= {});
        meta.finalizers = [...new Set([...(meta.finalizers ?? []), propagation])];
      }
      return markDeleting(rt, obj, grace, deps.now());
    });
    return { object: result.object, gone: result.deleted };
  }
}

/**
 * Orphan and Foreground deletion hold the owner with a finalizer the garbage collector removes
 * once dependents are orphaned or gone; Background (the default) deletes the owner now and lets
 * the collector remove dependents afterwards.
 */
function propagationFinalizer(options: DeleteOptions): string | undefined {
  if (options.propagationPolicy === "Orphan") return "orphan";
  if (options.propagationPolicy === "Foreground") return "foregroundDeletion";
  return undefined;
}

function markDeleting(rt: ResourceType, obj: KubeObject, grace: number, now: Date): KubeObject {
  const meta = (obj.metadata ??= {});
  const at = nowTimestamp(new Date(now.getTime() + grace * 1000));
  const earlier = meta.deletionTimestamp === undefined || at < meta.deletionTimestamp;
  if (earlier) meta.deletionTimestamp = at;
  if (meta.deletionGracePeriodSeconds === undefined || grace < meta.deletionGracePeriodSeconds) {
    meta.deletionGracePeriodSeconds = grace;
  }
  if (rt.kind === "Namespace") obj.status = { ...(obj.status as object), phase: "Terminating" };
  return obj;
}

/** Pods bound to a node and still running get their grace period; everything else none. */
function gracePeriod(rt: ResourceType, obj: KubeObject, options: DeleteOptions): number {
  if (rt.kind !== "Pod") return 0;
  const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (obj.status as { phase?: string } | undefined)?.phase;
  if (!spec.nodeName || phase === "Succeeded" || phase === "Failed") return 0;
  return options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
}

function checkPreconditions(rt: ResourceType, obj: KubeObject, options: DeleteOptions): void {
  const pre = options.preconditions;
  const meta = obj.metadata ?? {};
  if (pre?.uid && pre.uid !== meta.uid) {
    throw conflict(
      subjectOf(rt, meta.name),
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid}`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
    throw conflict(
      subjectOf(rt, meta.name),
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion}`,
    );
  }
}
