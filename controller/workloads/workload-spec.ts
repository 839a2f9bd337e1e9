import { invalidArgument } from "../../lib/errors.js";
import type { KubeObject } from "../resources/kube-object.js";
import { isObject, numberAt, objectAt, type JsonObject } from "../resources/json-access.js";

// Readers for the spec fields both workload controllers need. Validation has normally rejected
// bad values already; these still refuse them with an error naming the field instead of guessing.

function describe(obj: KubeObject): string {
  const kind = obj.kind ?? "object";
  const meta = obj.metadata;
  return `${kind} ${meta?.namespace ? `${meta.namespace}/` : ""}${meta?.name ?? "(unnamed)"}`;
}

export function specOf(obj: KubeObject): JsonObject {
  const spec = obj.spec;
  if (spec === undefined || spec === null) return {};
  if (!isObject(spec))
    throw invalidArgument(`${describe(obj)}: spec must be an object`, { field: "spec" });
  return spec;
}

/** metadata.name and metadata.uid: controllers cannot own or be owned without them. */
export function requireIdentity(obj: KubeObject): { name: string; uid: string; namespace: string } {
  const name = obj.metadata?.name;
  const uid = obj.metadata?.uid;
  if (typeof name !== "string" || name === "") {
    throw invalidArgument(`${describe(obj)}: metadata.name is required`, {
      field: "metadata.name",
    });
  }
  if (typeof uid !== "string" || uid === "") {
    throw invalidArgument(`${describe(obj)}: metadata.uid is required`, { field: "metadata.uid" });
  }
  return { name, uid, namespace: obj.metadata?.namespace ?? "" };
}

/** A non-negative integer field, or fallback when absent. */
export function countField(obj: KubeObject, field: string, fallback: number): number {
  const raw = specOf(obj)[field];
  if (raw === undefined || raw === null) return fallback;
  const value = numberAt(raw);
  if (value === undefined || !Number.isInteger(value) || value < 0) {
    throw invalidArgument(`${describe(obj)}: spec.${field} must be a non-negative integer`, {
      field: `spec.${field}`,
    });
  }
  return value;
}

/** spec.replicas with the API default of 1. */
export function specReplicas(obj: KubeObject): number {
  return countField(obj, "replicas", 1);
}

export function specMinReadySeconds(obj: KubeObject): number {
  return countField(obj, "minReadySeconds", 0);
}

export function specSelector(obj: KubeObject): JsonObject {
  const selector = objectAt(specOf(obj).selector);
  if (!selector) {
    throw invalidArgument(`${describe(obj)}: spec.selector is required`, {
      field: "spec.selector",
    });
  }
  return selector;
}

export function specTemplate(obj: KubeObject): JsonObject {
  const template = objectAt(specOf(obj).template);
  if (!template) {
    throw invalidArgument(`${describe(obj)}: spec.template is required`, {
      field: "spec.template",
    });
  }
  return template;
}

export function metadataGeneration(obj: KubeObject): number {
  return numberAt(obj.metadata?.generation) ?? 0;
}
