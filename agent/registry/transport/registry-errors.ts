import type { Readable } from "node:stream";
import {
  aborted,
  failedPrecondition,
  internal,
  invalidArgument,
  notFound,
  permissionDenied,
  unauthenticated,
  unavailable,
  type BerthError,
} from "../../../lib/errors.js";

const maxErrorBody = 64 * 1024;

/**
 * The error for a registry answer nobody expected: the kind follows the status, the message
 * names the registry, the request and what the registry said (`{"errors":[{code,message}]}`).
 */
export async function registryStatusError(
  host: string,
  what: string,
  status: number,
  body: Readable,
): Promise<BerthError> {
  const said = describeErrorBody(await readSome(body));
  const message = `registry ${host}: ${what}: HTTP ${status}${said ? `: ${said}` : ""}`;
  return errorForStatus(status, message);
}

export function errorForStatus(status: number, message: string): BerthError {
  if (status === 401) return unauthenticated(message);
  if (status === 403) return permissionDenied(message);
  if (status === 404) return notFound(message);
  if (status === 400) return invalidArgument(message);
  if (status === 409) return aborted(message);
  if (status === 429 || status >= 500) return unavailable(message);
  if (status >= 400) return failedPrecondition(message);
  return internal(message);
}

/** "CODE: message; CODE2: message2" from a distribution error body, or a short plain-text body. */
export function describeErrorBody(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") return "";
  try {
    const parsed = JSON.parse(trimmed) as { errors?: { code?: unknown; message?: unknown }[] };
    if (Array.isArray(parsed.errors)) {
      return parsed.errors
        .map((e) => [e.code, e.message].filter((x) => typeof x === "string" && x).join(": "))
        .filter((s) => s !== "")
        .map((s) => clip(s, 300))
        .join("; ");
    }
  } catch {
    // not JSON: fall through to the text itself
  }
  // HTML error pages from proxies say nothing useful and are long.
  return trimmed.startsWith("<") ? "" : clip(trimmed.replace(/\s+/g, " "), 300);
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Up to 64 KiB of a body (an error's explanation), then the body is destroyed. */
export async function readSome(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= maxErrorBody) break;
    }
  } catch {
    // a body cut short still says what it said so far
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, maxErrorBody).toString("utf8");
}
