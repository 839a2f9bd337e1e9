import type { ServiceError } from "@grpc/grpc-js";
import type { EtcdConnection } from "../storage/etcd-connection.js";
import type { WatchResponse } from "../storage/etcd-messages.js";
import { etcdMethods } from "../storage/etcd-proto.js";
import { keyBytes } from "../storage/key-range.js";
import { readKeyWatch, type KeyChange } from "./campaign.js";

/**
 * Waits for the first change of `key` after `afterRevision` on a watch stream of its own, which
 * is closed when the change, a failure or the abort arrives. Never rejects.
 */
export function nextKeyChange(
  connection: EtcdConnection,
  key: string,
  afterRevision: number,
  signal: AbortSignal,
): Promise<KeyChange> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ kind: "aborted" });
    let opened;
    try {
      opened = connection.openStream(etcdMethods().watch);
    } catch (err) {
      return resolve({ kind: "broken", reason: err instanceof Error ? err.message : String(err) });
    }
    const { stream, endpointIndex } = opened;
    let settled = false;
    const settle = (change: KeyChange) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      stream.cancel();
      resolve(change);
    };
    const onAbort = () => settle({ kind: "aborted" });
    signal.addEventListener("abort", onAbort, { once: true });
    stream.on("data", (response: WatchResponse) => {
      const change = readKeyWatch(response);
      if (change) settle(change);
    });
    stream.on("error", (err: ServiceError) => {
      if (settled) return;
      connection.endpointFailed(endpointIndex);
      settle({ kind: "broken", reason: err.details || err.message });
    });
    stream.on("end", () => settle({ kind: "broken", reason: "etcd ended the watch stream" }));
    stream.write({
      create_request: {
        key: keyBytes(key),
        range_end: Buffer.alloc(0),
        start_revision: afterRevision + 1,
        progress_notify: false,
        prev_kv: false,
      },
    });
  });
}
