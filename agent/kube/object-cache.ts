import type { ObjectMeta } from "./types.js";

/** Anything with Kubernetes object metadata. */
export interface KubeObjectLike {
  metadata?: ObjectMeta;
}

/** What changed in the cache, as an informer tells its handlers. */
export type CacheEvent<T> =
  | { type: "add"; object: T }
  | { type: "update"; old: T; object: T }
  | { type: "delete"; object: T };

/** "namespace/name", or "name" for a cluster-scoped object. */
export function objectKey(obj: KubeObjectLike): string {
  const meta = obj.metadata ?? {};
  return meta.namespace ? `${meta.namespace}/${meta.name ?? ""}` : (meta.name ?? "");
}

/**
 * The objects a list+watch has seen, by namespace/name: watch events and relists are applied
 * here, and each answers the events to hand on (none for a no-op, such as an unchanged object
 * in a relist or the deletion of an object never seen).
 */
export class ObjectCache<T extends KubeObjectLike> {
  private readonly objects = new Map<string, T>();

  get(namespace: string | undefined, name: string): T | undefined {
    return this.objects.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): T[] {
    return [...this.objects.values()];
  }

  get size(): number {
    return this.objects.size;
  }

  /** A watch event: ADDED/MODIFIED store the object, DELETED removes it. */
  apply(type: "ADDED" | "MODIFIED" | "DELETED", object: T): CacheEvent<T> | undefined {
    const key = objectKey(object);
    const old = this.objects.get(key);
    if (type === "DELETED") {
      if (!old) return undefined;
      this.objects.delete(key);
      return { type: "delete", object };
    }
    this.objects.set(key, object);
    return old ? { type: "update", old, object } : { type: "add", object };
  }

  /** A full list replaces the cache; objects it lacks were deleted while we were not watching. */
  replace(items: T[]): CacheEvent<T>[] {
    const events: CacheEvent<T>[] = [];
    const fresh = new Map(items.map((item) => [objectKey(item), item]));
    for (const [key, old] of this.objects) {
      if (!fresh.has(key)) {
        this.objects.delete(key);
        events.push({ type: "delete", object: old });
      }
    }
    for (const [key, object] of fresh) {
      const old = this.objects.get(key);
      this.objects.set(key, object);
      if (!old) events.push({ type: "add", object });
      else if (old.metadata?.resourceVersion !== object.metadata?.resourceVersion) {
        events.push({ type: "update", old, object });
      }
    }
    return events;
  }
}
