import {
  aborted,
  alreadyExists,
  asBerthError,
  internal,
  invalidArgument,
  notFound,
} from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";
import type { KubeObject } from "../resources/kube-object.js";
import { EtcdConnection } from "./etcd-connection.js";
import { parseEndpoints } from "./etcd-endpoints.js";
import type {
  DeleteRangeResponse,
  KeyValue,
  PutResponse,
  RangeResponse,
  ResponseOp,
  TxnRequest,
  TxnResponse,
} from "./etcd-messages.js";
import { etcdMethods } from "./etcd-proto.js";
import { checkRevision, createTxn, deleteTxn, listRange, updateTxn } from "./etcd-requests.js";
import { EtcdWatch } from "./etcd-watch.js";
import { checkKey, keyAfter, keyBytes } from "./key-range.js";
import type {
  ListOptions,
  ListResult,
  Store,
  StoredObject,
  StoreWatch,
  StoreWatchHandlers,
} from "./store.js";
import { decodeKeyValue, encodeValue } from "./stored-value.js";

export interface EtcdStoreOptions {
  /** etcd client URLs (http://HOST:PORT); calls go to the first that answers. */
  endpoints: string[];
  logger: Logger;
  /** Deadline of each request (default 10 s). */
  requestTimeoutMs?: number;
  /** How long a watch waits for an unreachable etcd before it ends with Unavailable (default 30 s). */
  watchUnavailableTimeoutMs?: number;
  /** Deadline of healthy()'s status call (default 2 s). */
  healthTimeoutMs?: number;
}

/** Connects lazily: a down etcd shows as Unavailable on the first call, not here. */
export function openEtcdStore(options: EtcdStoreOptions): EtcdStore {
  return new EtcdStore(options);
}

/** The Store on etcd v3: JSON values, revisions from etcd, writes as compare-and-swap transactions. */
export class EtcdStore implements Store {
  private readonly connection: EtcdConnection;
  private readonly logger: Logger;
  private readonly watchUnavailableTimeoutMs: number;
  private readonly healthTimeoutMs: number;
  private readonly watches = new Set<EtcdWatch>();

  constructor(options: EtcdStoreOptions) {
    const requestTimeoutMs = positive(options.requestTimeoutMs ?? 10_000, "requestTimeoutMs");
    this.watchUnavailableTimeoutMs = positive(
      options.watchUnavailableTimeoutMs ?? 30_000,
      "watchUnavailableTimeoutMs",
    );
    this.healthTimeoutMs = positive(options.healthTimeoutMs ?? 2_000, "healthTimeoutMs");
    this.connection = new EtcdConnection(parseEndpoints(options.endpoints), requestTimeoutMs);
    this.logger = options.logger;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    checkKey(key);
    const response = await this.connection.call(
      etcdMethods().range,
      { key: keyBytes(key) },
      { what: `get ${key}`, retry: "idempotent" },
    );
    return response.kvs.length > 0 ? decodeKeyValue(response.kvs[0]) : undefined;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const response = await this.connection.call(etcdMethods().range, listRange(prefix, options), {
      what: `list ${prefix}`,
      retry: "idempotent",
      revision: options.revision,
    });
    const items = response.kvs.map(decodeKeyValue);
    const result: ListResult = {
      items,
      revision: options.revision ?? Number(response.header.revision),
    };
    if (response.more && items.length > 0) {
      result.nextKey = keyAfter(items[items.length - 1].key);
      result.remaining = Number(response.count) - items.length;
    }
    return result;
  }

  async create(key: string, value: KubeObject): Promise<StoredObject> {
    checkKey(key);
    const bytes = encodeValue(value);
    const response = await this.txn(createTxn(key, bytes), `create ${key}`);
    if (!response.succeeded) throw alreadyExists(`${key} already exists`, { field: "key" });
    const revision = Number(response.header.revision);
    return { key, value: written(value), modRevision: revision, createRevision: revision };
  }

  async update(key: string, value: KubeObject, expectedRevision: number): Promise<StoredObject> {
    checkKey(key);
    checkRevision(expectedRevision, "expectedRevision");
    const bytes = encodeValue(value);
    const response = await this.txn(updateTxn(key, bytes, expectedRevision), `update ${key}`);
    if (!response.succeeded) throw whyNotWritten(key, response.responses[0]);
    const previous = opResult(response.responses[0], "response_put", key).prev_kv;
    if (!previous) throw internal(`etcd did not answer the previous value of ${key}`);
    return {
      key,
      value: written(value),
      modRevision: Number(response.header.revision),
      createRevision: Number(previous.create_revision),
    };
  }

  async delete(key: string, expectedRevision?: number): Promise<StoredObject> {
    checkKey(key);
    if (expectedRevision !== undefined) checkRevision(expectedRevision, "expectedRevision");
    const response = await this.txn(deleteTxn(key, expectedRevision), `delete ${key}`);
    if (!response.succeeded) throw whyNotWritten(key, response.responses[0]);
    const deleted = opResult(response.responses[0], "response_delete_range", key).prev_kvs;
    if (deleted.length === 0) throw notFound(`${key} not found`, { field: "key" });
    return decodeKeyValue(deleted[0]);
  }

  watch(prefix: string, fromRevision: number, handlers: StoreWatchHandlers): StoreWatch {
    const watch = new EtcdWatch({
      connection: this.connection,
      logger: this.logger,
      prefix,
      fromRevision,
      handlers,
      unavailableTimeoutMs: this.watchUnavailableTimeoutMs,
      onEnd: () => this.watches.delete(watch),
    });
    this.watches.add(watch);
    const bad = badWatchArguments(prefix, fromRevision);
    // Errors reach a watch's owner through onError only, and never before watch() returns.
    if (bad) queueMicrotask(() => watch.failWith(bad));
    else watch.start();
    return watch;
  }

  async revision(): Promise<number> {
    const response = await this.connection.call(
      etcdMethods().range,
      { key: keyBytes(""), count_only: true },
      { what: "read the current revision", retry: "idempotent" },
    );
    return Number(response.header.revision);
  }

  async healthy(): Promise<boolean> {
    try {
      const status = await this.connection.call(
        etcdMethods().status,
        {},
        { what: "status", retry: "idempotent", timeoutMs: this.healthTimeoutMs },
      );
      return status.errors.length === 0 && status.leader !== "0";
    } catch (err) {
      this.logger.debug("etcd is not healthy", { error: asBerthError(err).message });
      return false;
    }
  }

  /** Ends every watch (without calling their handlers) and closes the connections. */
  close(): void {
    for (const watch of [...this.watches]) watch.close();
    this.connection.close();
  }

  private txn(request: TxnRequest, what: string): Promise<TxnResponse> {
    // A write that may have reached etcd is never sent again: it could apply twice.
    return this.connection.call(etcdMethods().txn, request, { what, retry: "unsent" });
  }
}

/**
 * The value as stored, without reading back the JSON just encoded: the caller's object minus
 * metadata.resourceVersion (encodeValue has checked it is a JSON object that encodes).
 */
function written(value: KubeObject): KubeObject {
  if (value.metadata === undefined || !("resourceVersion" in value.metadata)) return value;
  const metadata = { ...value.metadata };
  delete metadata.resourceVersion;
  return { ...value, metadata };
}

/** A failed compare's read-back tells a missing key from one that changed since. */
function whyNotWritten(key: string, readBack: ResponseOp | undefined): Error {
  const kvs: KeyValue[] = opResult(readBack, "response_range", key).kvs;
  if (kvs.length === 0) return notFound(`${key} not found`, { field: "key" });
  return aborted(
    `${key}: the object has been modified; please apply your changes to the latest version and try again`,
  );
}

interface OpResults {
  response_range: RangeResponse;
  response_put: PutResponse;
  response_delete_range: DeleteRangeResponse;
}

function opResult<K extends keyof OpResults>(
  op: ResponseOp | undefined,
  kind: K,
  key: string,
): OpResults[K] {
  const result = op?.[kind];
  if (!result) throw internal(`etcd answered a transaction on ${key} without its ${kind}`);
  return result as OpResults[K];
}

function badWatchArguments(prefix: unknown, fromRevision: unknown): Error | undefined {
  if (typeof prefix !== "string") {
    return invalidArgument("prefix must be a string", { field: "prefix" });
  }
  if (typeof fromRevision !== "number" || !Number.isSafeInteger(fromRevision) || fromRevision < 0) {
    return invalidArgument(
      `fromRevision must be a non-negative integer, got ${JSON.stringify(fromRevision)}`,
      { field: "fromRevision" },
    );
  }
  return undefined;
}

function positive(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw invalidArgument(`${field} must be a positive number of milliseconds, got ${value}`, {
      field,
    });
  }
  return value;
}
