// The etcd v3 messages the store sends and receives, as proto-loader hands them over with the
// options in etcd-proto.ts: field names as in the .proto, int64 as decimal strings, enums as
// their names, bytes as Buffers, absent sub-messages as null. Requests may give int64 as numbers.

/** An int64 as received: a decimal string (revisions stay far below 2^53, so Number() is exact). */
export type Int64 = string;

export interface ResponseHeader {
  cluster_id: string;
  member_id: string;
  revision: Int64;
  raft_term: string;
}

export interface KeyValue {
  key: Buffer;
  create_revision: Int64;
  mod_revision: Int64;
  version: Int64;
  value: Buffer;
  lease: Int64;
}

export interface RangeRequest {
  key: Buffer;
  range_end?: Buffer;
  limit?: number;
  revision?: number;
  count_only?: boolean;
}

export interface RangeResponse {
  header: ResponseHeader;
  kvs: KeyValue[];
  more: boolean;
  count: Int64;
}

export interface PutRequest {
  key: Buffer;
  value: Buffer;
  /** Attach the key to this lease (its ID as a decimal string: IDs use all 63 bits). */
  lease?: Int64;
  prev_kv?: boolean;
}

export interface PutResponse {
  header: ResponseHeader;
  prev_kv: KeyValue | null;
}

export interface DeleteRangeRequest {
  key: Buffer;
  range_end?: Buffer;
  prev_kv?: boolean;
}

export interface DeleteRangeResponse {
  header: ResponseHeader;
  deleted: Int64;
  prev_kvs: KeyValue[];
}

export type RequestOp =
  | { request_range: RangeRequest }
  | { request_put: PutRequest }
  | { request_delete_range: DeleteRangeRequest };

export interface ResponseOp {
  /** Which member of the oneof is set. */
  response?: "response_range" | "response_put" | "response_delete_range" | "response_txn";
  response_range?: RangeResponse | null;
  response_put?: PutResponse | null;
  response_delete_range?: DeleteRangeResponse | null;
}

export type Compare = {
  key: Buffer;
  result: "EQUAL" | "GREATER" | "LESS" | "NOT_EQUAL";
} & (
  | { target: "CREATE"; create_revision: number }
  | { target: "MOD"; mod_revision: number }
  | { target: "VERSION"; version: number }
);

export interface TxnRequest {
  compare: Compare[];
  success: RequestOp[];
  failure: RequestOp[];
}

export interface TxnResponse {
  header: ResponseHeader;
  succeeded: boolean;
  responses: ResponseOp[];
}

export interface WatchCreateRequest {
  key: Buffer;
  range_end: Buffer;
  start_revision: number;
  progress_notify: boolean;
  prev_kv: boolean;
}

export type WatchRequest =
  | { create_request: WatchCreateRequest }
  | { cancel_request: { watch_id: number } }
  | { progress_request: Record<string, never> };

export interface WatchEvent {
  type: "PUT" | "DELETE";
  kv: KeyValue;
  prev_kv: KeyValue | null;
}

export interface WatchResponse {
  header: ResponseHeader;
  watch_id: Int64;
  created: boolean;
  canceled: boolean;
  compact_revision: Int64;
  cancel_reason: string;
  fragment: boolean;
  events: WatchEvent[];
}

export type StatusRequest = Record<string, never>;

export interface StatusResponse {
  header: ResponseHeader;
  version: string;
  leader: string;
  /** Active alarms (NOSPACE, CORRUPT…): a member with alarms is not healthy. */
  errors: string[];
}

// Lease IDs are etcd-chosen 63-bit numbers: kept as decimal strings, never converted to Number.

export interface LeaseGrantRequest {
  TTL: number;
  ID?: Int64;
}

export interface LeaseGrantResponse {
  header: ResponseHeader;
  ID: Int64;
  TTL: Int64;
  error: string;
}

export interface LeaseRevokeRequest {
  ID: Int64;
}

export interface LeaseRevokeResponse {
  header: ResponseHeader;
}

export interface LeaseKeepAliveRequest {
  ID: Int64;
}

export interface LeaseKeepAliveResponse {
  header: ResponseHeader;
  ID: Int64;
  /** "0" when the lease no longer exists. */
  TTL: Int64;
}

export interface LeaseTimeToLiveRequest {
  ID: Int64;
  keys?: boolean;
}

export interface LeaseTimeToLiveResponse {
  header: ResponseHeader;
  ID: Int64;
  /** "-1" when the lease does not exist. */
  TTL: Int64;
  grantedTTL: Int64;
  keys: Buffer[];
}
