import { internal } from "../../lib/errors.js";
import type { WatchEvent, WatchResponse } from "./etcd-messages.js";
import type { StoreEvent, StoredObject } from "./store.js";
import { decodeKeyValue } from "./stored-value.js";

/** What one etcd WatchResponse means to a watch that has delivered every event up to a revision. */
export type WatchStep =
  | { kind: "created" }
  /** Events after the delivered revision (a resumed stream may repeat older ones: dropped). */
  | { kind: "events"; events: StoreEvent[]; upTo: number }
  /** Nothing happened up to `revision`. */
  | { kind: "progress"; revision: number }
  /** The revision to resume from was compacted away; etcd keeps revisions from `compacted` on. */
  | { kind: "compacted"; compacted: number }
  | { kind: "canceled"; reason: string };

export function interpretWatchResponse(response: WatchResponse, deliveredUpTo: number): WatchStep {
  const compacted = Number(response.compact_revision);
  if (compacted > 0) return { kind: "compacted", compacted };
  if (response.canceled) return { kind: "canceled", reason: response.cancel_reason };
  if (response.created) return { kind: "created" };
  if (response.events.length === 0) {
    return { kind: "progress", revision: Number(response.header.revision) };
  }
  const fresh = response.events.filter((e) => Number(e.kv.mod_revision) > deliveredUpTo);
  const upTo = Math.max(deliveredUpTo, ...fresh.map((e) => Number(e.kv.mod_revision)));
  return { kind: "events", events: fresh.map(toStoreEvent), upTo };
}

export function toStoreEvent(event: WatchEvent): StoreEvent {
  if (event.type === "DELETE") {
    const key = event.kv.key.toString("utf8");
    // Asked for with prev_kv; etcd leaves it out only if that revision was compacted meanwhile.
    if (!event.prev_kv) throw internal(`etcd sent the delete of ${key} without its last value`);
    return {
      type: "delete",
      previous: decodeKeyValue(event.prev_kv),
      revision: Number(event.kv.mod_revision),
    };
  }
  const object = decodeKeyValue(event.kv);
  const previousKv = event.prev_kv;
  if (!previousKv) return { type: "put", object };
  // Decoded when first read: a watch cache keeps its own copy and never reads it.
  let previous: StoredObject | undefined;
  return {
    type: "put",
    object,
    get previous(): StoredObject {
      previous ??= decodeKeyValue(previousKv);
      return previous;
    },
  };
}
