import type { Logger } from "../../../lib/logger.js";
import type { ResourceType } from "../../resources/resource-type.js";
import type { Store } from "../../storage/store.js";
import type { ObjectKeys } from "../object-keys.js";
import { WatchCache } from "./watch-cache.js";

export interface WatchCachesOptions {
  /** Recent changes each resource keeps for resuming watches (default 4096). */
  capacity?: number;
  /** First wait before a cache lists again after a failure. */
  relistDelayMs?: number;
  /** Deep-freeze cached objects (tests: modifying a shared object throws). */
  freezeObjects?: boolean;
}

export const defaultCacheCapacity = 4096;

/** One watch cache per resource type, as kube-apiserver keeps one per resource. */
export class WatchCaches {
  private readonly caches = new Map<ResourceType, WatchCache>();
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly keys: ObjectKeys,
    private readonly logger: Logger,
    private readonly options: WatchCachesOptions = {},
  ) {}

  /** Starts the caches of these types now rather than at their first use. */
  start(types: readonly ResourceType[]): void {
    for (const rt of types) this.for(rt);
  }

  /** The cache of `rt`, started now if it was not (it may not be ready yet). */
  for(rt: ResourceType): WatchCache {
    let cache = this.caches.get(rt);
    if (!cache) {
      cache = new WatchCache({
        store: this.store,
        rt,
        prefix: this.keys.collection(rt, ""),
        logger: this.logger,
        capacity: this.options.capacity ?? defaultCacheCapacity,
        relistDelayMs: this.options.relistDelayMs,
        freezeObjects: this.options.freezeObjects,
      });
      this.caches.set(rt, cache);
      if (!this.stopped) cache.start();
    }
    return cache;
  }

  /** The cache of `rt` when it exists and follows the store now. */
  ready(rt: ResourceType): WatchCache | undefined {
    const cache = this.caches.get(rt);
    return cache?.ready ? cache : undefined;
  }

  stop(): void {
    this.stopped = true;
    for (const cache of this.caches.values()) cache.stop();
  }
}
