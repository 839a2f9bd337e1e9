import type { Logger } from "../../lib/logger.js";
import { watchChanges, type ChangeWatch } from "../api/cache/watch-changes.js";
import { listObjects } from "../api/objects/list-objects.js";
import type { ResourceStore } from "../api/objects/resource-store.js";
import type { KubeObject } from "../resources/kube-object.js";
import type { ResourceType } from "../resources/resource-type.js";

export interface InformerHandlers {
  add?(obj: KubeObject): void;
  update?(old: KubeObject, obj: KubeObject): void;
  delete?(obj: KubeObject): void;
}

export const objectKey = (obj: KubeObject) =>
  `${obj.metadata?.namespace ?? ""}/${obj.metadata?.name ?? ""}`;

/** How long start() waits for the kind's watch cache before listing from the store instead. */
const cacheReadyTimeoutMs = 10_000;

/**
 * An in-process shared informer: every object of one kind cached from a list, kept current by a
 * watch, handlers told of each change. When the watch ends (compaction, etcd gone too long) it
 * lists again and tells handlers the difference, as client-go's reflector does. With watch
 * caches the list and the watch are the cache's (its objects shared: handlers must not modify
 * what they are given), as client-go's resourceVersion=0 lists are served from the apiserver's.
 */
export class Informer {
  private readonly cache = new Map<string, KubeObject>();
  private readonly handlers: InformerHandlers[] = [];
  private watch?: ChangeWatch;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly resources: ResourceStore,
    readonly rt: ResourceType,
    private readonly logger: Logger,
  ) {}

  on(handlers: InformerHandlers): void {
    this.handlers.push(handlers);
  }

  /** Resolves once the cache holds a full list (the informer has synced). */
  async start(): Promise<void> {
    await this.relist();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.watch?.close();
  }

  get(namespace: string, name: string): KubeObject | undefined {
    return this.cache.get(`${namespace}/${name}`);
  }

  list(filter?: (obj: KubeObject) => boolean): KubeObject[] {
    const all = [...this.cache.values()];
    return filter ? all.filter(filter) : all;
  }

  private async relist(): Promise<void> {
    await this.resources.caches?.for(this.rt).whenReady(cacheReadyTimeoutMs);
    const page = await listObjects(this.resources, this.rt, "", {
      matches: () => true,
      limit: 0,
      notOlderThan: 0,
    });
    const seen = new Set<string>();
    for (const obj of page.items) {
      const key = objectKey(obj);
      seen.add(key);
      this.apply(key, obj);
    }
    for (const [key, old] of this.cache) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit((h) => h.delete?.(old));
      }
    }
    this.watchFrom(page.revision);
  }

  private watchFrom(revision: number): void {
    if (this.stopped) return;
    this.watch = watchChanges(this.resources, this.rt, "", revision, {
      change: (change) => {
        if (change.type === "put") {
          this.apply(objectKey(change.object), change.object);
        } else {
          if (this.cache.delete(objectKey(change.object))) {
            this.emit((h) => h.delete?.(change.object));
          }
        }
      },
      progress: () => undefined,
      end: (err) => {
        if (this.stopped) return;
        this.logger.warn("informer watch ended; listing again", {
          resource: this.rt.plural,
          error: err?.message ?? "the watch cache lists again",
        });
        this.scheduleRelist();
      },
    });
  }

  private scheduleRelist(): void {
    this.retry = setTimeout(() => {
      this.relist().catch((err) => {
        this.logger.warn("informer list failed", { resource: this.rt.plural, error: err.message });
        this.scheduleRelist();
      });
    }, 500);
    this.retry.unref();
  }

  private apply(key: string, obj: KubeObject): void {
    const old = this.cache.get(key);
    this.cache.set(key, obj);
    if (!old) this.emit((h) => h.add?.(obj));
    else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) {
      this.emit((h) => h.update?.(old, obj));
    }
  }

  private emit(call: (h: InformerHandlers) => void): void {
    for (const h of this.handlers) {
      try {
        call(h);
      } catch (err) {
        this.logger.error("informer handler failed", {
          resource: this.rt.plural,
          error: (err as Error).message,
        });
      }
    }
  }
}
