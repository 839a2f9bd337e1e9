import { randomBytes } from "node:crypto";
import { invalidArgument, notFound } from "../../lib/errors.js";

/** A new sandbox or container id: 64 hex characters, as containerd and CRI-O make them. */
export function newId(): string {
  return randomBytes(32).toString("hex");
}

/** The one id among `ids` equal to `wanted` or starting with it, as `crictl stop 5a4b` expects. */
export function resolveId(
  ids: Iterable<string>,
  wanted: string,
  what: string,
  field: string,
): string | undefined {
  if (wanted === "") throw invalidArgument(`${field} must be set`, { field });
  const all = [...ids];
  if (all.includes(wanted)) return wanted;
  const matches = all.filter((id) => id.startsWith(wanted));
  if (matches.length > 1) {
    throw invalidArgument(`${what} id prefix ${JSON.stringify(wanted)} is ambiguous`, { field });
  }
  return matches[0];
}

export function requireId(
  ids: Iterable<string>,
  wanted: string,
  what: string,
  field: string,
): string {
  const id = resolveId(ids, wanted, what, field);
  if (id === undefined) throw notFound(`${what} ${JSON.stringify(wanted)} not found`, { field });
  return id;
}
