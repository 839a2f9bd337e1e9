import type { KubeObject } from "../resources/kube-object.js";

/** One object as etcd holds it: the value plus the revisions Kubernetes derives metadata from. */
export interface StoredObject {
  key: string;
  /** The object as written (metadata.resourceVersion is not stored; readers set it). */
  value: KubeObject;
  /** etcd mod_revision: the object's resourceVersion. */
  modRevision: number;
  createRevision: number;
}

export interface ListOptions {
  /** At most this many items (0 or absent: all). */
  limit?: number;
  /** Start at this key (inclusive), for `continue` tokens. */
  startKey?: string;
  /** Read at this revision (a consistent snapshot for paging); absent: the latest. */
  revision?: number;
}

export interface ListResult {
  items: StoredObject[];
  /** The store revision the list was read at: a list's resourceVersion. */
  revision: number;
  /** Present when `limit` cut the list: the key to continue from. */
  nextKey?: string;
  /** How many keys remain after this page (etcd's count minus what was returned). */
  remaining?: number;
}

export type StoreEvent =
  | { type: "put"; object: StoredObject; previous?: StoredObject }
  | { type: "delete"; previous: StoredObject; revision: number };

export interface StoreWatch {
  close(): void;
}

export interface StoreWatchHandlers {
  /** Events in revision order; none are lost or repeated while the watch lives. */
  onEvent(event: StoreEvent): void;
  /**
   * The watch ended for good: `CompactedError` when `fromRevision` is older than the store keeps
   * (Kubernetes answers 410 Expired), Unavailable when etcd cannot be reached for too long.
   */
  onError(err: Error): void;
  /** Progress: every event up to `revision` has been delivered (for bookmarks). Optional. */
  onProgress?(revision: number): void;
}

/** Thrown (or passed to onError) when a requested revision was compacted away. */
export class CompactedError extends Error {
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`too old resource version: ${requested} (${compacted})`);
    this.name = "CompactedError";
  }
}

/**
 * The controller's storage: a key-value store with revisions and compare-and-swap (etcd v3).
 * Errors: NotFound, AlreadyExists, Aborted (compare failed: a stale revision), Unavailable
 * (lib/errors kinds). Values are JSON objects.
 */
export interface Store {
  get(key: string): Promise<StoredObject | undefined>;
  /** Keys with this prefix, in key order. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /**
   * Writes only if the key does not exist (AlreadyExists otherwise). The answer's value may share
   * structure with `value` (it is not read back): neither is to be modified afterwards.
   */
  create(key: string, value: KubeObject): Promise<StoredObject>;
  /**
   * Writes only if the key's mod revision is still `expectedRevision` (Aborted otherwise). The
   * answer's value may share structure with `value`, as for create.
   */
  update(key: string, value: KubeObject, expectedRevision: number): Promise<StoredObject>;
  /** Deletes (only at `expectedRevision` when given); answers what was deleted. */
  delete(key: string, expectedRevision?: number): Promise<StoredObject>;
  /** Events for keys under `prefix` after `fromRevision` (exclusive). */
  watch(prefix: string, fromRevision: number, handlers: StoreWatchHandlers): StoreWatch;
  /** The store's current revision. */
  revision(): Promise<number>;
  /** True when the store answers (for /readyz). */
  healthy(): Promise<boolean>;
  close(): void;
}
