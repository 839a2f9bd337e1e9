import { status, type ServiceError } from "@grpc/grpc-js";
import {
  asBerthError,
  deadlineExceeded,
  failedPrecondition,
  internal,
  invalidArgument,
  permissionDenied,
  unauthenticated,
  unavailable,
} from "../../lib/errors.js";
import { CompactedError } from "./store.js";

/** What a failed call was doing, for the error's message. */
export interface CallContext {
  endpoint: string;
  /** "get /registry/pods/default/web", "list /registry/pods/"… */
  what: string;
  /** The revision the call read at, when it asked for one. */
  revision?: number;
}

export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === "number";
}

/** A gRPC failure from etcd as a lib/errors kind (or CompactedError), naming the endpoint. */
export function fromGrpcError(err: unknown, context: CallContext): Error {
  if (!isServiceError(err)) return asBerthError(err);
  const { endpoint, what, revision } = context;
  const details = err.details || err.message;
  const options = { cause: err };
  switch (err.code) {
    case status.UNAVAILABLE:
    case status.CANCELLED:
    case status.RESOURCE_EXHAUSTED:
      return unavailable(`etcd at ${endpoint} is unavailable (${what}): ${details}`, options);
    case status.DEADLINE_EXCEEDED:
      return deadlineExceeded(`etcd at ${endpoint} did not answer in time (${what})`, options);
    case status.OUT_OF_RANGE:
      // etcd 3.4 does not say which revision the store was compacted to: 0 stands for unknown.
      if (details.includes("compacted")) return new CompactedError(revision ?? 0, 0);
      if (details.includes("future revision")) {
        return invalidArgument(
          `revision ${revision ?? "?"} is newer than etcd's current revision (${what})`,
          { field: "revision", cause: err },
        );
      }
      return invalidArgument(`etcd rejected ${what}: ${details}`, options);
    case status.INVALID_ARGUMENT:
      return invalidArgument(`etcd rejected ${what}: ${details}`, options);
    case status.FAILED_PRECONDITION:
      return failedPrecondition(`etcd at ${endpoint} refused ${what}: ${details}`, options);
    case status.PERMISSION_DENIED:
      return permissionDenied(`etcd at ${endpoint} denied ${what}: ${details}`, options);
    case status.UNAUTHENTICATED:
      return unauthenticated(
        `etcd at ${endpoint} needs credentials (${what}): ${details}`,
        options,
      );
    default:
      return internal(`etcd at ${endpoint} failed ${what}: ${details}`, options);
  }
}

/** Failures another endpoint (or the same one, later) may not have: worth trying elsewhere. */
export function isEndpointFailure(err: unknown): boolean {
  return (
    isServiceError(err) &&
    (err.code === status.UNAVAILABLE || err.code === status.DEADLINE_EXCEEDED)
  );
}

/**
 * True when the call never left this process (no connection to the endpoint), so even a write
 * can go to another endpoint without risking being applied twice. grpc-js says so only in the
 * status text of a call it failed while it had no connection.
 */
export function wasNeverSent(err: unknown): boolean {
  return (
    isServiceError(err) &&
    err.code === status.UNAVAILABLE &&
    (err.details ?? "").includes("No connection established")
  );
}

/**
 * Whether a broken watch stream is worth reopening: connection trouble, etcd restarting or
 * changing leader. Requests etcd rejects (bad argument, permissions) would fail again.
 */
export function isTransientStreamEnd(code: number): boolean {
  return ![
    status.INVALID_ARGUMENT,
    status.PERMISSION_DENIED,
    status.UNAUTHENTICATED,
    status.UNIMPLEMENTED,
    status.FAILED_PRECONDITION,
    status.OUT_OF_RANGE,
  ].includes(code);
}
