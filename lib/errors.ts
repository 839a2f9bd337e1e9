// The one closed set of errors every component raises. Each kind maps 1:1 to a gRPC status code
// and to an HTTP status + Kubernetes Status reason, so an error keeps its meaning across protocols.

export type ErrorKind =
  | "InvalidArgument"
  | "NotFound"
  | "AlreadyExists"
  | "FailedPrecondition"
  | "Aborted"
  | "Unavailable"
  | "DeadlineExceeded"
  | "Unimplemented"
  | "Unauthenticated"
  | "PermissionDenied"
  | "Internal";

// Numeric codes from grpc's status.proto; kept here so lib does not depend on a gRPC library.
const grpcCodes: Record<ErrorKind, number> = {
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  FailedPrecondition: 9,
  Aborted: 10,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  PermissionDenied: 7,
  Unauthenticated: 16,
};

const http: Record<ErrorKind, { status: number; reason: string }> = {
  InvalidArgument: { status: 422, reason: "Invalid" },
  NotFound: { status: 404, reason: "NotFound" },
  AlreadyExists: { status: 409, reason: "AlreadyExists" },
  FailedPrecondition: { status: 409, reason: "Conflict" },
  Aborted: { status: 409, reason: "Conflict" },
  Unavailable: { status: 503, reason: "ServiceUnavailable" },
  DeadlineExceeded: { status: 504, reason: "Timeout" },
  Unimplemented: { status: 501, reason: "NotImplemented" },
  Internal: { status: 500, reason: "InternalError" },
  Unauthenticated: { status: 401, reason: "Unauthorized" },
  PermissionDenied: { status: 403, reason: "Forbidden" },
};

export class BerthError extends Error {
  readonly kind: ErrorKind;
  /** The offending field, as a path ("metadata.name", "layers[2]"), when the error is about one. */
  readonly field?: string;

  constructor(kind: ErrorKind, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = kind;
    this.kind = kind;
    this.field = options.field;
  }

  get grpcCode(): number {
    return grpcCodes[this.kind];
  }

  get httpStatus(): number {
    return http[this.kind].status;
  }

  get httpReason(): string {
    return http[this.kind].reason;
  }
}

const make =
  (kind: ErrorKind) =>
  (message: string, options?: { field?: string; cause?: unknown }): BerthError =>
    new BerthError(kind, message, options);

export const invalidArgument = make("InvalidArgument");
export const notFound = make("NotFound");
export const alreadyExists = make("AlreadyExists");
export const failedPrecondition = make("FailedPrecondition");
export const aborted = make("Aborted");
export const unavailable = make("Unavailable");
export const deadlineExceeded = make("DeadlineExceeded");
export const unimplemented = make("Unimplemented");
export const internal = make("Internal");
export const unauthenticated = make("Unauthenticated");
export const permissionDenied = make("PermissionDenied");

export function isBerthError(err: unknown, kind?: ErrorKind): err is BerthError {
  return err instanceof BerthError && (kind === undefined || err.kind === kind);
}

/** Any thrown value as a BerthError; unknown failures become Internal, keeping the cause. */
export function asBerthError(err: unknown): BerthError {
  if (err instanceof BerthError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return internal(message, { cause: err });
}

/** The Node errno code of a failed fs/child call ("ENOENT"…), if any. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err
    ? String((err as { code: unknown }).code)
    : undefined;
}
