import type { ResourceType } from "../../resources/resource-type.js";
import type { StoreEvent } from "../../storage/store.js";
import { toApiObject } from "../objects/api-object.js";
import type { ResourceStore } from "../objects/resource-store.js";
import { ObjectChange } from "./object-change.js";

export interface ChangeSink {
  /** Each change after the watch's revision, in order. */
  change(change: ObjectChange): void;
  /** Every change up to `revision` has been passed on. */
  progress(revision: number): void;
  /**
   * The watch ended: with CompactedError (410 Expired) or a store failure; without an error when
   * the server ended it in good order (the client resumes from the last revision it saw).
   */
  end(err?: Error): void;
}

export interface ChangeWatch {
  close(): void;
  /** Served by the watch cache (false: by a store watch of its own). */
  readonly fromCache: boolean;
}

/**
 * Changes to objects of `rt` in `namespace` ("" for all) after revision `from`: from the watch
 * cache when it can serve that revision, else from a store watch of its own (a revision older
 * than the cache's ring, a cache not ready) with the same semantics, 410 for compacted history
 * included. Changes from the ring may reach `sink` before this returns.
 */
export function watchChanges(
  resources: ResourceStore,
  rt: ResourceType,
  namespace: string,
  from: number,
  sink: ChangeSink,
): ChangeWatch {
  const keyPrefix = resources.keys.collection(rt, namespace);
  const subscription = resources.caches?.ready(rt)?.subscribe(keyPrefix, from, sink);
  if (subscription) return { close: () => subscription.close(), fromCache: true };
  const watch = resources.store.watch(keyPrefix, from, {
    onEvent: (event) => sink.change(changeOf(rt, event)),
    onProgress: (revision) => sink.progress(revision),
    onError: (err) => sink.end(err),
  });
  return { close: () => watch.close(), fromCache: false };
}

function changeOf(rt: ResourceType, event: StoreEvent): ObjectChange {
  if (event.type === "delete") {
    const last = event.previous;
    return new ObjectChange("delete", last.key, toApiObject(rt, last), undefined, event.revision);
  }
  const { object, previous } = event;
  return new ObjectChange(
    "put",
    object.key,
    toApiObject(rt, object),
    previous && toApiObject(rt, previous),
    object.modRevision,
  );
}
