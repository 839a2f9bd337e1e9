import type { Logger } from "../../../lib/logger.js";
import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import type { Store, StoreEvent, StoredObject, StoreWatch } from "../../storage/store.js";
import { toApiObject } from "../objects/api-object.js";
import { EventRing } from "./event-ring.js";
import { ObjectChange } from "./object-change.js";

/** One object as the cache holds it: API form (read-only, shared) and its etcd mod revision. */
export interface CachedEntry {
  key: string;
  object: KubeObject;
  modRevision: number;
}

/** What a subscription to the cache is told. */
export interface CacheSubscriber {
  /** Each change after the subscription's revision under its key prefix, in revision order. */
  change(change: ObjectChange): void;
  /** Every change up to `revision` has been passed on (for bookmarks). */
  progress(revision: number): void;
  /**
   * The subscription ended: the cache lost the store's watch and lists again (no error: resume
   * from the last revision seen), or `change` threw (that error).
   */
  end(err?: Error): void;
}

export interface CacheSubscription {
  close(): void;
}

export interface WatchCacheParams {
  store: Store;
  rt: ResourceType;
  /** Storage prefix of every object of the resource (all namespaces). */
  prefix: string;
  logger: Logger;
  /** Changes kept for watches resuming from a recent resourceVersion. */
  capacity: number;
  /** First wait before listing again after a failure (doubling to 10 s). */
  relistDelayMs?: number;
  /**
   * Deep-freezes every object it holds, so that code modifying a shared object throws (strict
   * mode) instead of corrupting what every watch and informer sees. For tests: it costs a walk
   * of every object.
   */
  freezeObjects?: boolean;
}

interface Subscription {
  keyPrefix: string;
  from: number;
  subscriber: CacheSubscriber;
}

type State = "idle" | "listing" | "ready" | "stopped";

/**
 * Kubernetes' watch cache (the apiserver's cacher) for one resource: one store watch keeps every
 * object in memory at a known revision, plus a ring of recent changes. Each etcd value is decoded
 * once here however many watches, informers and lists use it. When the store's watch ends (etcd
 * gone too long, history compacted under a lagging watch) the cache ends its subscriptions and
 * lists again; until it has, `ready` is false and callers read the store instead.
 */
export class WatchCache {
  private objects = new Map<string, CachedEntry>();
  private sortedKeys?: string[];
  private ring?: EventRing;
  private currentRevision = 0;
  private state: State = "idle";
  private watch?: StoreWatch;
  private readonly subscriptions = new Set<Subscription>();
  private readyWaiters: (() => void)[] = [];
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;

  constructor(private readonly p: WatchCacheParams) {}

  get rt(): ResourceType {
    return this.p.rt;
  }

  /** True while the cache follows the store: its objects are those at `revision`. */
  get ready(): boolean {
    return this.state === "ready";
  }

  /** Every change up to this store revision is applied. */
  get revision(): number {
    return this.currentRevision;
  }

  /** The oldest resourceVersion a watch can resume from (older: the store serves it). */
  get oldestResumable(): number {
    return this.ring?.oldestResumable ?? Number.POSITIVE_INFINITY;
  }

  get size(): number {
    return this.objects.size;
  }

  start(): void {
    if (this.state !== "idle") return;
    this.state = "listing";
    void this.list();
  }

  /** Ends the store watch and every subscription (without telling subscribers). */
  stop(): void {
    this.state = "stopped";
    clearTimeout(this.retryTimer);
    this.watch?.close();
    this.watch = undefined;
    this.subscriptions.clear();
    this.objects.clear();
    this.sortedKeys = undefined;
    this.ring = undefined;
    for (const wake of this.readyWaiters.splice(0)) wake();
  }

  /** Resolves true once ready, false if not within `timeoutMs` (or stopped). */
  whenReady(timeoutMs: number): Promise<boolean> {
    if (this.state === "ready") return Promise.resolve(true);
    if (this.state === "stopped") return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(this.state === "ready");
      };
      const timer = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== wake);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      this.readyWaiters.push(wake);
    });
  }

  /** The object at `key` as of `revision` (undefined when absent or the cache is not ready). */
  get(key: string): CachedEntry | undefined {
    return this.state === "ready" ? this.objects.get(key) : undefined;
  }

  /** Objects whose keys start with `keyPrefix`, in key order, from `startKey` (inclusive) on. */
  *entries(keyPrefix: string, startKey?: string): Generator<CachedEntry> {
    if (this.state !== "ready") return;
    this.sortedKeys ??= [...this.objects.keys()].sort();
    const keys = this.sortedKeys;
    const from = startKey !== undefined && startKey > keyPrefix ? startKey : keyPrefix;
    for (let i = lowerBound(keys, from); i < keys.length; i++) {
      if (!keys[i].startsWith(keyPrefix)) return;
      // A generator's caller may write meanwhile: skip keys deleted since the sort.
      const entry = this.objects.get(keys[i]);
      if (entry) yield entry;
    }
  }

  /**
   * Changes under `keyPrefix` after revision `from`: first those in the ring (synchronously,
   * before this returns), then each as it happens. Undefined when the cache cannot serve it: not
   * ready, or `from` older than the ring keeps. `from` may be ahead of the cache (a revision read
   * from etcd a moment ago): changes up to it are skipped, as an etcd watch from it would.
   */
  subscribe(
    keyPrefix: string,
    from: number,
    subscriber: CacheSubscriber,
  ): CacheSubscription | undefined {
    if (this.state !== "ready" || !this.ring || from < this.ring.oldestResumable) return undefined;
    const subscription: Subscription = { keyPrefix, from, subscriber };
    for (const change of this.ring.since(from)) {
      if (change.key.startsWith(keyPrefix)) subscriber.change(change);
    }
    this.subscriptions.add(subscription);
    return { close: () => this.subscriptions.delete(subscription) };
  }

  private async list(): Promise<void> {
    try {
      const listed = await this.p.store.list(this.p.prefix);
      if (this.state !== "listing") return;
      const objects = new Map<string, CachedEntry>();
      for (const stored of listed.items) {
        objects.set(stored.key, {
          key: stored.key,
          object: this.apiForm(stored),
          modRevision: stored.modRevision,
        });
      }
      this.objects = objects;
      this.sortedKeys = undefined;
      this.currentRevision = listed.revision;
      this.ring = new EventRing(this.p.capacity, listed.revision);
      this.state = "ready";
      this.failures = 0;
      this.watch = this.p.store.watch(this.p.prefix, listed.revision, {
        onEvent: (event) => this.apply(event),
        onProgress: (revision) => this.progress(revision),
        onError: (err) => this.lost(err),
      });
      for (const wake of this.readyWaiters.splice(0)) wake();
    } catch (err) {
      if (this.state !== "listing") return;
      this.p.logger.warn("watch cache: listing failed; trying again", {
        resource: this.p.rt.plural,
        error: (err as Error).message,
      });
      this.retryLater();
    }
  }

  private apply(event: StoreEvent): void {
    if (this.state !== "ready") return;
    let change: ObjectChange;
    if (event.type === "put") {
      const stored = event.object;
      const object = this.apiForm(stored);
      const before = this.objects.get(stored.key);
      if (!before) this.sortedKeys = undefined;
      this.objects.set(stored.key, { key: stored.key, object, modRevision: stored.modRevision });
      change = new ObjectChange("put", stored.key, object, before?.object, stored.modRevision);
    } else {
      const key = event.previous.key;
      const before = this.objects.get(key);
      this.objects.delete(key);
      this.sortedKeys = undefined;
      const last = before?.object ?? this.apiForm(event.previous);
      change = new ObjectChange("delete", key, last, undefined, event.revision);
    }
    this.currentRevision = Math.max(this.currentRevision, change.revision);
    this.ring!.push(change);
    for (const s of this.subscriptions) {
      if (change.revision <= s.from || !change.key.startsWith(s.keyPrefix)) continue;
      try {
        s.subscriber.change(change);
      } catch (err) {
        this.subscriptions.delete(s);
        this.endQuietly(s, err as Error);
      }
    }
  }

  private progress(revision: number): void {
    if (this.state !== "ready" || revision <= this.currentRevision) return;
    this.currentRevision = revision;
    for (const s of this.subscriptions) {
      if (revision <= s.from) continue;
      try {
        s.subscriber.progress(revision);
      } catch (err) {
        this.subscriptions.delete(s);
        this.endQuietly(s, err as Error);
      }
    }
  }

  /** The store watch ended: subscribers resume elsewhere, the cache lists again. */
  private lost(err: Error): void {
    if (this.state !== "ready") return;
    this.p.logger.warn("watch cache: the store watch ended; listing again", {
      resource: this.p.rt.plural,
      revision: this.currentRevision,
      error: err.message,
    });
    this.state = "listing";
    this.watch = undefined;
    this.ring = undefined;
    this.objects = new Map();
    this.sortedKeys = undefined;
    const ended = [...this.subscriptions];
    this.subscriptions.clear();
    for (const s of ended) this.endQuietly(s);
    this.retryLater();
  }

  private apiForm(stored: StoredObject): KubeObject {
    const object = toApiObject(this.p.rt, stored);
    return this.p.freezeObjects ? deepFreeze(object) : object;
  }

  private retryLater(): void {
    const first = this.p.relistDelayMs ?? 250;
    const delay = Math.min(first * 2 ** this.failures, 10_000);
    this.failures++;
    this.retryTimer = setTimeout(() => void this.list(), delay);
    this.retryTimer.unref();
  }

  private endQuietly(s: Subscription, err?: Error): void {
    try {
      s.subscriber.end(err);
    } catch (endErr) {
      this.p.logger.error("watch cache: a subscriber failed to end", {
        resource: this.p.rt.plural,
        error: (endErr as Error).message,
      });
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The first index whose key is >= `key`. */
function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
