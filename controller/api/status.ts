import { isBerthError, type BerthError } from "../../lib/errors.js";
import type { FieldCause } from "../resources/kube-object.js";

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: FieldCause[];
  retryAfterSeconds?: number;
}

/** A failed request as Kubernetes answers it: an HTTP code and a `Status` object. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = "ApiError";
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** What an error is about, for messages like `pods "web" not found`. */
export interface Subject {
  /** The resource's plural ("pods"), as Kubernetes names it in messages. */
  resource: string;
  group: string;
  kind: string;
  name?: string;
}

const qualified = (s: Subject) => (s.group ? `${s.resource}.${s.group}` : s.resource);

export const badRequest = (message: string) => new ApiError(400, "BadRequest", message);

export const notFound = (s: Subject) =>
  new ApiError(404, "NotFound", `${qualified(s)} "${s.name ?? ""}" not found`, {
    name: s.name,
    group: s.group || undefined,
    kind: s.resource,
  });

export const alreadyExists = (s: Subject) =>
  new ApiError(409, "AlreadyExists", `${qualified(s)} "${s.name ?? ""}" already exists`, {
    name: s.name,
    group: s.group || undefined,
    kind: s.resource,
  });

export const conflict = (s: Subject, why: string) =>
  new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualified(s)} "${s.name ?? ""}": ${why}`,
    { name: s.name, group: s.group || undefined, kind: s.resource },
  );

export const staleObject = (s: Subject) =>
  conflict(
    s,
    "the object has been modified; please apply your changes to the latest version and try again",
  );

/** 422 with one cause per field, worded as `Pod "bad" is invalid: spec.x: Required value`. */
export function invalid(s: Subject, causes: FieldCause[]): ApiError {
  const list = causes.map((c) => `${c.field}: ${c.message}`);
  const text = list.length === 1 ? list[0] : `[${list.join(", ")}]`;
  return new ApiError(422, "Invalid", `${s.kind} "${s.name ?? ""}" is invalid: ${text}`, {
    name: s.name,
    group: s.group || undefined,
    kind: s.kind,
    causes,
  });
}

export const methodNotAllowed = (message: string) => new ApiError(405, "MethodNotAllowed", message);

export const unsupportedMediaType = (type: string) =>
  new ApiError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${JSON.stringify(type)})`,
  );

export const tooLarge = (limit: number) =>
  new ApiError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${limit}`);

export const expired = (message: string) => new ApiError(410, "Expired", message);

export const unauthorized = () => new ApiError(401, "Unauthorized", "Unauthorized");

export const forbidden = (message: string) => new ApiError(403, "Forbidden", message);

export const serviceUnavailable = (message: string) =>
  new ApiError(503, "ServiceUnavailable", message);

export const tooManyRequests = (message: string, retryAfterSeconds?: number) =>
  new ApiError(
    429,
    "TooManyRequests",
    message,
    retryAfterSeconds ? { retryAfterSeconds } : undefined,
  );

export const internalError = (message: string) =>
  new ApiError(500, "InternalError", `Internal error occurred: ${message}`);

/** Any thrown value as an ApiError: BerthErrors keep their kind's HTTP code and reason. */
export function asApiError(err: unknown, subject?: Subject): ApiError {
  if (err instanceof ApiError) return err;
  if (isBerthError(err)) return fromBerthError(err, subject);
  return internalError(err instanceof Error ? err.message : String(err));
}

function fromBerthError(err: BerthError, subject?: Subject): ApiError {
  switch (err.kind) {
    case "NotFound":
      return subject ? notFound(subject) : new ApiError(404, "NotFound", err.message);
    case "AlreadyExists":
      return subject ? alreadyExists(subject) : new ApiError(409, "AlreadyExists", err.message);
    case "Aborted":
      return subject ? staleObject(subject) : new ApiError(409, "Conflict", err.message);
    case "InvalidArgument":
      return badRequest(err.message);
    case "Internal":
      return internalError(err.message);
    default:
      return new ApiError(err.httpStatus, err.httpReason, err.message);
  }
}
