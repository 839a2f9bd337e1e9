import { BerthError, type ErrorKind } from "../../lib/errors.js";

/** A Kubernetes `Status` as the API server sends it with a failed request. */
export interface KubeStatus {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { reason?: string; message?: string; field?: string }[];
    retryAfterSeconds?: number;
  };
}

/**
 * A non-2xx answer from the API server: one of Berth's error kinds (so callers can test it with
 * isBerthError) that keeps the server's Status, its HTTP code and reason.
 */
export class KubeApiError extends BerthError {
  constructor(
    kind: ErrorKind,
    message: string,
    readonly status: KubeStatus,
    field?: string,
  ) {
    super(kind, message, { field });
  }

  /** The HTTP status code the server answered with. */
  get code(): number {
    return this.status.code ?? 0;
  }

  /** The Status reason ("NotFound", "AlreadyExists", "Conflict", "Expired"…). */
  get reason(): string {
    return this.status.reason ?? "";
  }
}

const byCode: Record<number, ErrorKind> = {
  400: "InvalidArgument",
  401: "Unauthenticated",
  403: "PermissionDenied",
  404: "NotFound",
  405: "Unimplemented",
  406: "InvalidArgument",
  408: "DeadlineExceeded",
  410: "FailedPrecondition",
  413: "InvalidArgument",
  415: "InvalidArgument",
  422: "InvalidArgument",
  429: "Unavailable",
  500: "Internal",
  501: "Unimplemented",
  502: "Unavailable",
  503: "Unavailable",
  504: "DeadlineExceeded",
};

/** The error kind of an HTTP status and Status reason (409 splits on the reason). */
export function errorKindOf(code: number, reason: string | undefined): ErrorKind {
  if (code === 409) return reason === "AlreadyExists" ? "AlreadyExists" : "Aborted";
  return byCode[code] ?? (code >= 500 ? "Unavailable" : "Internal");
}

/**
 * The error for a failed request: `body` is the parsed answer (a Status, usually) or its text.
 * The message names the request and carries the server's own message.
 */
export function kubeApiError(
  method: string,
  path: string,
  httpCode: number,
  body: unknown,
): KubeApiError {
  const status: KubeStatus = isStatus(body)
    ? { ...body, code: body.code ?? httpCode }
    : { kind: "Status", status: "Failure", code: httpCode, message: textOf(body) };
  const serverMessage = status.message || `HTTP ${httpCode}`;
  const field = status.details?.causes?.find((c) => c.field)?.field;
  return new KubeApiError(
    errorKindOf(httpCode, status.reason),
    `${method} ${path}: ${serverMessage}`,
    status,
    field,
  );
}

function isStatus(body: unknown): body is KubeStatus {
  return typeof body === "object" && body !== null && (body as KubeStatus).kind === "Status";
}

function textOf(body: unknown): string {
  const text = typeof body === "string" ? body : body === undefined ? "" : JSON.stringify(body);
  return text.trim().slice(0, 500);
}

const hasCode = (err: unknown, code: number) => err instanceof KubeApiError && err.code === code;

/** The object does not exist (404). */
export const isNotFound = (err: unknown): boolean => hasCode(err, 404);
/** A create found the name taken (409 AlreadyExists). */
export const isAlreadyExists = (err: unknown): boolean =>
  hasCode(err, 409) && (err as KubeApiError).reason === "AlreadyExists";
/** An update lost a race: stale resourceVersion or similar (409, not AlreadyExists). */
export const isConflict = (err: unknown): boolean => hasCode(err, 409) && !isAlreadyExists(err);
/** A list continue token or watch resourceVersion is too old (410 Gone/Expired). */
export const isGone = (err: unknown): boolean => hasCode(err, 410);
/** The caller may not do this (403). */
export const isForbidden = (err: unknown): boolean => hasCode(err, 403);
