// Objects reach the printers as loosely typed JSON. These readers turn a missing or ill-typed
// field into the zero value Go would have decoded, so a row never throws on bad input.

export type JsonRecord = Record<string, unknown>;

/** The object at v, or undefined when v is not a JSON object (Go: a nil pointer). */
export function optionalRecord(v: unknown): JsonRecord | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as JsonRecord) : undefined;
}

/** The object at v, or an empty one (Go: a zero-value struct). */
export function record(v: unknown): JsonRecord {
  return optionalRecord(v) ?? {};
}

/** The objects in the array at v; entries that are not objects read as empty ones, keeping indices. */
export function records(v: unknown): JsonRecord[] {
  return Array.isArray(v) ? v.map(record) : [];
}

/** The strings in the array at v, other entries skipped. */
export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
}

/** The string at v, or "". */
export function text(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** The integer at v (fractions dropped), or 0. */
export function integer(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? Math.trunc(v) : 0;
}

/** The number of keys of the object at v, or 0. */
export function keyCount(v: unknown): number {
  return Object.keys(record(v)).length;
}
