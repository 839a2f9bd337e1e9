import { invalidArgument } from "../../lib/errors.js";
import type { RangeRequest, TxnRequest } from "./etcd-messages.js";
import { checkKey, keyBytes, prefixRangeEnd } from "./key-range.js";
import type { ListOptions } from "./store.js";

// The etcd requests behind each Store operation. Each write is one transaction that either
// applies or, failing its compare, reads the key back so the caller can tell why.

/** Put `value` only if `key` has never been created (or was deleted since). */
export function createTxn(key: string, value: Buffer): TxnRequest {
  const k = keyBytes(key);
  return {
    compare: [{ key: k, target: "CREATE", result: "EQUAL", create_revision: 0 }],
    success: [{ request_put: { key: k, value } }],
    failure: [],
  };
}

/** Put `value` only if `key` was last modified at `expectedRevision`; else read the key. */
export function updateTxn(key: string, value: Buffer, expectedRevision: number): TxnRequest {
  const k = keyBytes(key);
  return {
    compare: [{ key: k, target: "MOD", result: "EQUAL", mod_revision: expectedRevision }],
    success: [{ request_put: { key: k, value, prev_kv: true } }],
    failure: [{ request_range: { key: k } }],
  };
}

/** Delete `key` (only at `expectedRevision` when given), answering what it held; else read it. */
export function deleteTxn(key: string, expectedRevision?: number): TxnRequest {
  const k = keyBytes(key);
  return {
    compare:
      expectedRevision === undefined
        ? []
        : [{ key: k, target: "MOD", result: "EQUAL", mod_revision: expectedRevision }],
    success: [{ request_delete_range: { key: k, prev_kv: true } }],
    failure: [{ request_range: { key: k } }],
  };
}

/** One page of the keys under `prefix` (etcd answers them in key order, with the range's count). */
export function listRange(prefix: string, options: ListOptions): RangeRequest {
  const start = options.startKey ?? prefix;
  if (typeof prefix !== "string") {
    throw invalidArgument("prefix must be a string", { field: "prefix" });
  }
  if (options.startKey !== undefined) {
    checkKey(options.startKey, "startKey");
    if (!options.startKey.startsWith(prefix)) {
      throw invalidArgument(`startKey ${JSON.stringify(start)} is not under ${prefix}`, {
        field: "startKey",
      });
    }
  }
  return {
    key: keyBytes(start),
    range_end: prefixRangeEnd(prefix),
    limit: checkCount(options.limit ?? 0, "limit"),
    revision: options.revision === undefined ? 0 : checkRevision(options.revision, "revision"),
  };
}

/** A revision the caller gives: a positive integer. */
export function checkRevision(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw invalidArgument(`${field} must be a positive integer, got ${JSON.stringify(value)}`, {
      field,
    });
  }
  return value;
}

function checkCount(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw invalidArgument(`${field} must be a non-negative integer, got ${JSON.stringify(value)}`, {
      field,
    });
  }
  return value;
}
