import { ApiError } from "../status.js";

const reasons: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  410: "Gone",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

/**
 * An agent's failure answer as the API's: a Status body keeps its code, reason and message;
 * any other body becomes the message, with the reason the code implies.
 */
export function agentError(code: number, body: string): ApiError {
  const status = parseStatus(body);
  if (status) {
    return new ApiError(
      code,
      status.reason || (reasons[code] ?? ""),
      status.message,
      status.details,
    );
  }
  const text = body.trim() || `the node's agent answered HTTP ${code}`;
  return new ApiError(code, reasons[code] ?? "InternalError", text);
}

function parseStatus(
  body: string,
): { message: string; reason?: string; details?: ApiError["details"] } | undefined {
  try {
    const value = JSON.parse(body) as Record<string, unknown>;
    if (value?.kind !== "Status" || typeof value.message !== "string") return undefined;
    return {
      message: value.message,
      reason: typeof value.reason === "string" ? value.reason : undefined,
      details:
        typeof value.details === "object" && value.details !== null
          ? (value.details as ApiError["details"])
          : undefined,
    };
  } catch {
    return undefined;
  }
}
