import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import type { StoredObject } from "../../storage/store.js";

export const apiVersionOf = (rt: ResourceType) =>
  rt.group ? `${rt.group}/${rt.version}` : rt.version;

/** A stored object as the API serves it: kind, apiVersion and resourceVersion filled in. */
export function toApiObject(rt: ResourceType, stored: StoredObject): KubeObject {
  const value = stored.value;
  return {
    ...value,
    apiVersion: apiVersionOf(rt),
    kind: rt.kind,
    metadata: { ...value.metadata, resourceVersion: String(stored.modRevision) },
  };
}

/** The subject of error messages about one object of this kind. */
export function subjectOf(rt: ResourceType, name?: string) {
  return { resource: rt.plural, group: rt.group, kind: rt.kind, name };
}

export function nowTimestamp(now = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * A deep copy of a JSON value, as JSON.parse(JSON.stringify(value)) would make it (undefined
 * members dropped, undefined and non-finite array items null, toJSON honoured) but several times
 * faster for the plain objects the API passes around.
 */
export function clone<T>(value: T): T {
  return value === undefined ? value : (copyJson(value) as T);
}

function copyJson(value: unknown): unknown {
  if (typeof value !== "object" || value === null) {
    return typeof value === "number" && !Number.isFinite(value) ? null : value;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return JSON.parse(JSON.stringify(value));
  }
  if (Array.isArray(value)) {
    return value.map((item) => {
      const copy = copyJson(item);
      return copy === undefined || typeof copy === "function" ? null : copy;
    });
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copyJson((value as Record<string, unknown>)[key]);
    if (item === undefined || typeof item === "function") continue;
    // "__proto__" is a legal JSON key (a ConfigMap's data): it must stay an own member.
    if (key === "__proto__") {
      Object.defineProperty(copy, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[key] = item;
    }
  }
  return copy;
}
