import { aborted, alreadyExists, notFound } from "../../lib/errors.js";
import type { KubeObject } from "../../controller/resources/kube-object.js";
import {
  CompactedError,
  type ListOptions,
  type ListResult,
  type Store,
  type StoreEvent,
  type StoreWatch,
  type StoreWatchHandlers,
  type StoredObject,
} from "../../controller/storage/store.js";

/**
 * An in-memory Store with etcd's revision semantics, for fast unit tests of the API above it.
 * Integration tests use the real etcd store.
 */
export class MemoryStore implements Store {
  private rev = 1;
  private compactedAt = 0;
  private readonly data = new Map<string, StoredObject>();
  private readonly history: { revision: number; event: StoreEvent; key: string }[] = [];
  private readonly watchers = new Set<{ prefix: string; handlers: StoreWatchHandlers }>();

  async get(key: string): Promise<StoredObject | undefined> {
    return copy(this.data.get(key));
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    if (options.revision !== undefined && options.revision < this.compactedAt) {
      throw new CompactedError(options.revision, this.compactedAt);
    }
    const view = options.revision === undefined ? this.data : this.snapshot(options.revision);
    const keys = [...view.keys()]
      .filter((k) => k.startsWith(prefix) && (!options.startKey || k >= options.startKey))
      .sort();
    const limit = options.limit || keys.length;
    const page = keys.slice(0, limit);
    return {
      items: page.map((k) => copy(view.get(k))!),
      revision: options.revision ?? this.rev,
      nextKey: keys.length > limit ? keys[limit] : undefined,
      remaining: keys.length - page.length,
    };
  }

  async create(key: string, value: KubeObject): Promise<StoredObject> {
    if (this.data.has(key)) throw alreadyExists(`key ${key} exists`);
    return this.put(key, value, undefined);
  }

  async update(key: string, value: KubeObject, expected: number): Promise<StoredObject> {
    const current = this.data.get(key);
    if (!current) throw notFound(`key ${key} not found`);
    if (current.modRevision !== expected) throw aborted("the object has been modified");
    return this.put(key, value, current);
  }

  async delete(key: string, expected?: number): Promise<StoredObject> {
    const current = this.data.get(key);
    if (!current) throw notFound(`key ${key} not found`);
    if (expected !== undefined && current.modRevision !== expected) {
      throw aborted("the object has been modified");
    }
    this.rev++;
    this.data.delete(key);
    this.emit(key, { type: "delete", previous: copy(current)!, revision: this.rev });
    return copy(current)!;
  }

  watch(prefix: string, fromRevision: number, handlers: StoreWatchHandlers): StoreWatch {
    const watcher = { prefix, handlers };
    if (fromRevision < this.compactedAt) {
      queueMicrotask(() => handlers.onError(new CompactedError(fromRevision, this.compactedAt)));
      return { close() {} };
    }
    const backlog = this.history.filter(
      (h) => h.revision > fromRevision && h.key.startsWith(prefix),
    );
    queueMicrotask(() => {
      for (const h of backlog) handlers.onEvent(h.event);
      this.watchers.add(watcher);
    });
    return { close: () => this.watchers.delete(watcher) };
  }

  async revision(): Promise<number> {
    return this.rev;
  }

  async healthy(): Promise<boolean> {
    return true;
  }

  close(): void {
    this.watchers.clear();
  }

  /** Forgets history up to the current revision, as `etcdctl compact` does. */
  compact(): void {
    this.compactedAt = this.rev;
    this.history.length = 0;
  }

  private put(key: string, value: KubeObject, previous: StoredObject | undefined): StoredObject {
    this.rev++;
    const stored: StoredObject = {
      key,
      value: JSON.parse(JSON.stringify(value)),
      modRevision: this.rev,
      createRevision: previous?.createRevision ?? this.rev,
    };
    this.data.set(key, stored);
    this.emit(key, { type: "put", object: copy(stored)!, previous: copy(previous) });
    return copy(stored)!;
  }

  private emit(key: string, event: StoreEvent): void {
    this.history.push({ revision: this.rev, event, key });
    for (const w of this.watchers) if (key.startsWith(w.prefix)) w.handlers.onEvent(event);
  }

  private snapshot(revision: number): Map<string, StoredObject> {
    const view = new Map<string, StoredObject>();
    for (const [k, v] of this.data) if (v.createRevision <= revision) view.set(k, v);
    // Keys deleted or changed after `revision` are approximated by the current values: enough for
    // the paging tests this fake serves.
    return view;
  }
}

function copy(v: StoredObject | undefined): StoredObject | undefined {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}
