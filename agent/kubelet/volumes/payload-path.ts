import { invalidArgument } from "../../../lib/errors.js";

// Limits of common Linux filesystems, checked up front so a bad key fails with its field named
// instead of an ENAMETOOLONG deep inside a write.
const maxPathLength = 4096;
const maxComponentLength = 255;

/**
 * Checks a file path a volume projects (a configMap key, an item's `path`): relative, no "." or ".."
 * steps, no empty steps, and not starting with "..", which the atomic writer keeps for itself
 * (..data, ..<timestamp>).
 */
export function validatePayloadPath(p: string, field: string): void {
  const bad = (why: string) => invalidArgument(`invalid path "${p}": ${why}`, { field });
  if (p === "") throw bad("must not be empty");
  if (p.includes("\0")) throw bad("must not contain a NUL byte");
  if (p.length > maxPathLength) throw bad(`must be at most ${maxPathLength} characters`);
  if (p.startsWith("/")) throw bad("must be a relative path");
  if (p.startsWith("..")) throw bad("must not start with '..'");
  for (const part of p.split("/")) {
    if (part === "..") throw bad("must not contain '..'");
    if (part === "." || part === "") throw bad("must not contain empty or '.' elements");
    if (part.length > maxComponentLength) {
      throw bad(`each element must be at most ${maxComponentLength} characters`);
    }
  }
}

/** Checks a file mode from a volume source (`defaultMode`, an item's `mode`): 0 to 0777. */
export function validateFileMode(mode: unknown, field: string): number {
  if (typeof mode !== "number" || !Number.isInteger(mode) || mode < 0 || mode > 0o777) {
    throw invalidArgument(`file mode ${String(mode)} must be an integer from 0 to 0777 (511)`, {
      field,
    });
  }
  return mode;
}

/** A name used as one directory level (pod uid, volume name, container name). */
export function validatePathComponent(name: unknown, field: string): string {
  if (typeof name !== "string" || name === "" || name === "." || name === "..") {
    throw invalidArgument(`${JSON.stringify(name)} is not a valid name`, { field });
  }
  if (name.includes("/") || name.includes("\0") || name.length > maxComponentLength) {
    throw invalidArgument(`"${name}" must be a single path element`, { field });
  }
  return name;
}
