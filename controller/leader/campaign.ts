import { internal } from "../../lib/errors.js";
import type { KeyValue, TxnRequest, TxnResponse, WatchResponse } from "../storage/etcd-messages.js";
import { keyBytes } from "../storage/key-range.js";

// The leader key holds the leader's identity and is attached to its lease, so it disappears when
// the lease is revoked or expires. Whoever creates it while it is absent leads.

/** Create `key` = `identity` on lease `leaseId` if it does not exist; else read who holds it. */
export function campaignTxn(key: string, identity: string, leaseId: string): TxnRequest {
  const k = keyBytes(key);
  return {
    compare: [{ key: k, target: "CREATE", result: "EQUAL", create_revision: 0 }],
    success: [{ request_put: { key: k, value: Buffer.from(identity, "utf8"), lease: leaseId } }],
    failure: [{ request_range: { key: k } }],
  };
}

/** Only read who holds `key` (as a transaction, so the answer reads like a campaign's). */
export function observeTxn(key: string): TxnRequest {
  return { compare: [], success: [{ request_range: { key: keyBytes(key) } }], failure: [] };
}

export interface CampaignOutcome {
  /** "us": the key is on our lease (just created, or still ours from an earlier campaign). */
  held: "us" | "other" | "nobody";
  /** The identity stored in the key, when it exists. */
  holder?: string;
  /** The revision the answer is as of: watch for changes after it. */
  revision: number;
}

export function readCampaign(response: TxnResponse, leaseId: string): CampaignOutcome {
  const revision = Number(response.header.revision);
  const op = response.responses[0];
  if (op?.response_put) return { held: "us", revision };
  if (!op?.response_range) throw internal("etcd answered the leader campaign without a result");
  const kv = op.response_range.kvs[0];
  if (!kv) return { held: "nobody", revision };
  return { held: kv.lease === leaseId ? "us" : "other", holder: holderOf(kv), revision };
}

export type KeyChange =
  | { kind: "put"; holder: string; lease: string }
  | { kind: "deleted" }
  /** The watch ended without telling what happened (etcd unreachable, compacted, canceled). */
  | { kind: "broken"; reason: string }
  /** The caller stopped waiting. */
  | { kind: "aborted" };

/** What a watch response on the leader key says; undefined when it reports no change. */
export function readKeyWatch(response: WatchResponse): KeyChange | undefined {
  if (Number(response.compact_revision) > 0) {
    return { kind: "broken", reason: `compacted up to revision ${response.compact_revision}` };
  }
  if (response.canceled) {
    return { kind: "broken", reason: `etcd canceled the watch: ${response.cancel_reason}` };
  }
  const last = response.events[response.events.length - 1];
  if (!last) return undefined;
  if (last.type === "DELETE") return { kind: "deleted" };
  return { kind: "put", holder: holderOf(last.kv), lease: last.kv.lease };
}

function holderOf(kv: KeyValue): string {
  return kv.value.toString("utf8");
}
