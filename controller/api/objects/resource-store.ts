import { isBerthError } from "../../../lib/errors.js";
import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import type { Store, StoredObject } from "../../storage/store.js";
import type { WatchCaches } from "../cache/watch-caches.js";
import type { ObjectKeys } from "../object-keys.js";
import { alreadyExists, notFound, staleObject } from "../status.js";
import { jsonEqual } from "../../patch/json-value.js";
import { clone, subjectOf, toApiObject } from "./api-object.js";

/** Answers the new object, or undefined to leave the stored one as it is. */
export type TryUpdate = (
  current: KubeObject,
) => KubeObject | undefined | Promise<KubeObject | undefined>;

export interface UpdateResult {
  object: KubeObject;
  /** False when the update changed nothing (no write, same resourceVersion, no event). */
  changed: boolean;
  /** True when the update completed a pending deletion (finalizers emptied). */
  deleted: boolean;
}

const maxAttempts = 16;

/**
 * Objects of the served kinds in the store, with Kubernetes' keys, errors and update loop. With
 * watch caches, updates start from the cached object and reads that accept any recent state
 * (resourceVersion=0) are served from memory; consistent reads always go to the store.
 */
export class ResourceStore {
  constructor(
    readonly store: Store,
    readonly keys: ObjectKeys,
    readonly caches?: WatchCaches,
  ) {}

  /** The object as the store holds it now (a consistent read). */
  async tryGet(rt: ResourceType, namespace: string, name: string): Promise<KubeObject | undefined> {
    const stored = await this.store.get(this.keys.object(rt, namespace, name));
    return stored && toApiObject(rt, stored);
  }

  /**
   * The object in any recent state (Kubernetes' resourceVersion=0): the watch cache's when it is
   * ready, else the store's. A cached object is shared: read-only.
   */
  async tryGetAny(
    rt: ResourceType,
    namespace: string,
    name: string,
  ): Promise<KubeObject | undefined> {
    const cache = this.caches?.ready(rt);
    if (cache) return cache.get(this.keys.object(rt, namespace, name))?.object;
    return this.tryGet(rt, namespace, name);
  }

  async get(rt: ResourceType, namespace: string, name: string): Promise<KubeObject> {
    const found = await this.tryGet(rt, namespace, name);
    if (!found) throw notFound(subjectOf(rt, name));
    return found;
  }

  async create(rt: ResourceType, namespace: string, obj: KubeObject): Promise<KubeObject> {
    const name = obj.metadata?.name ?? "";
    try {
      const stored = await this.store.create(this.keys.object(rt, namespace, name), stripped(obj));
      return toApiObject(rt, stored);
    } catch (err) {
      if (isBerthError(err, "AlreadyExists")) throw alreadyExists(subjectOf(rt, name));
      throw err;
    }
  }

  /**
   * Kubernetes' GuaranteedUpdate: read, compute, compare-and-swap, again on a concurrent write.
   * An object whose deletion is pending and that has no finalizers left (and no grace period to
   * wait out) is deleted instead of written.
   *
   * The first try starts from the watch cache's object when there is one (the apiserver's
   * "suggestion"): the compare-and-swap on its revision is the check that it is current. Only a
   * failed swap, or a try that fails or changes nothing on the cached object, reads the store;
   * so a stale cache costs a read, never a wrong answer.
   */
  async update(
    rt: ResourceType,
    namespace: string,
    name: string,
    tryUpdate: TryUpdate,
  ): Promise<UpdateResult> {
    const key = this.keys.object(rt, namespace, name);
    let suggested: Revisioned | undefined = this.caches?.ready(rt)?.get(key);
    for (let attempt = 0; ; attempt++) {
      const fromCache = suggested !== undefined;
      let base: Revisioned;
      if (suggested) {
        base = suggested;
        suggested = undefined;
      } else {
        const stored = await this.store.get(key);
        if (!stored) throw notFound(subjectOf(rt, name));
        base = { object: toApiObject(rt, stored), modRevision: stored.modRevision };
      }
      const current = base.object;
      let next: KubeObject | undefined;
      try {
        next = await tryUpdate(clone(current));
      } catch (err) {
        if (fromCache) continue;
        throw err;
      }
      if (next === undefined || jsonEqual(stripped(next), stripped(current))) {
        if (fromCache) continue;
        return { object: current, changed: false, deleted: false };
      }
      try {
        if (deletionComplete(next)) {
          const gone = await this.store.delete(key, base.modRevision);
          return { object: toApiObject(rt, gone), changed: true, deleted: true };
        }
        const written = await this.store.update(key, stripped(next), base.modRevision);
        return { object: toApiObject(rt, written), changed: true, deleted: false };
      } catch (err) {
        const retry = isBerthError(err, "Aborted") || (fromCache && isBerthError(err, "NotFound"));
        if (!retry || attempt >= maxAttempts) throw err;
      }
    }
  }

  /** Deletes now (at `expectedRevision` when given); answers the object as it was. */
  async delete(
    rt: ResourceType,
    namespace: string,
    name: string,
    expectedRevision?: number,
  ): Promise<KubeObject> {
    try {
      const gone: StoredObject = await this.store.delete(
        this.keys.object(rt, namespace, name),
        expectedRevision,
      );
      return toApiObject(rt, gone);
    } catch (err) {
      if (isBerthError(err, "NotFound")) throw notFound(subjectOf(rt, name));
      if (isBerthError(err, "Aborted")) throw staleObject(subjectOf(rt, name));
      throw err;
    }
  }
}

/** An object with the mod revision a compare-and-swap on it expects. */
interface Revisioned {
  object: KubeObject;
  modRevision: number;
}

/** What goes to etcd: no resourceVersion (the revision is the version). */
function stripped(obj: KubeObject): KubeObject {
  const metadata = { ...obj.metadata };
  delete metadata.resourceVersion;
  return { ...obj, metadata };
}

/** Pending deletion with nothing left to wait for (a namespace also waits for spec.finalizers). */
export function deletionComplete(obj: KubeObject): boolean {
  const meta = obj.metadata ?? {};
  const specFinalizers =
    obj.kind === "Namespace" ? ((obj.spec as { finalizers?: string[] })?.finalizers ?? []) : [];
  return (
    meta.deletionTimestamp !== undefined &&
    (meta.finalizers ?? []).length === 0 &&
    specFinalizers.length === 0 &&
    (meta.deletionGracePeriodSeconds ?? 0) === 0
  );
}
