// Objects arrive as loosely typed JSON: these read them without trusting their shape, so a field of
// the wrong type is reported by validation instead of crashing a hook.

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value if it is a JSON object, else undefined. */
export function objectAt(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

/** The value if it is an array, else an empty one. */
export function listAt(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Each array element as an object; non-objects read as empty objects so indexes keep their meaning. */
export function objectsAt(value: unknown): JsonObject[] {
  return listAt(value).map((item) => (isObject(item) ? item : {}));
}

/** The value if it is a string, else "". */
export function textAt(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** The value if it is a finite number, else undefined. */
export function numberAt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** A string-to-string map (labels, data…), skipping non-string values. */
export function stringMapAt(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(objectAt(value) ?? {})) {
    if (typeof v === "string") out[k] = v;
  }
  return out;
}

/** The child object under key, created when absent; undefined when something else is there. */
export function childObject(parent: JsonObject, key: string): JsonObject | undefined {
  const current = parent[key];
  if (current === undefined || current === null) {
    const created: JsonObject = {};
    parent[key] = created;
    return created;
  }
  return isObject(current) ? current : undefined;
}

/** Sets parent[key] = value when the field is absent or null. */
export function setDefault(parent: JsonObject, key: string, value: unknown): void {
  if (parent[key] === undefined || parent[key] === null) parent[key] = value;
}

/** Sets parent[key] = value when the field is absent, null or "" (Go's zero string). */
export function setDefaultText(parent: JsonObject, key: string, value: string): void {
  if (parent[key] === undefined || parent[key] === null || parent[key] === "") parent[key] = value;
}
