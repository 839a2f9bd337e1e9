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

/** A deep copy through JSON: objects here are JSON values. */
export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
