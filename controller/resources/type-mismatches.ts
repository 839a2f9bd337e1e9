import type { FieldCause } from "./kube-object.js";
import { isObject } from "./json-access.js";
import type { FieldSchema } from "./resource-type.js";

/**
 * Values whose JSON type differs from the schema's (a string where an integer belongs…), which
 * Kubernetes refuses while decoding. Worded as the API server words schema type errors:
 * `spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`.
 * null is accepted anywhere: it reads as the field being absent.
 */
export function findTypeMismatches(obj: unknown, schema: FieldSchema): FieldCause[] {
  const found: FieldCause[] = [];
  walk(obj, schema, "", found);
  return found;
}

function walk(value: unknown, schema: FieldSchema, path: string, found: FieldCause[]): void {
  if (value === null || value === undefined || schema.type === "any") return;
  const actual = jsonType(value);
  if (!matches(actual, value, schema)) {
    const where = path || "<root>";
    found.push({
      reason: "FieldValueTypeInvalid",
      message: `Invalid value: "${actual}": ${where} in body must be of type ${expected(schema)}: "${actual}"`,
      field: path,
    });
    return;
  }
  if (schema.type === "object" && isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const childSchema = schema.properties[key];
      if (childSchema) walk(child, childSchema, path ? `${path}.${key}` : key, found);
    }
  } else if (schema.type === "map" && isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      walk(child, schema.values, `${path}[${key}]`, found);
    }
  } else if (schema.type === "array" && Array.isArray(value)) {
    value.forEach((item, i) => walk(item, schema.items, `${path}[${i}]`, found));
  }
}

type JsonType = "string" | "integer" | "number" | "boolean" | "object" | "array";

function jsonType(value: unknown): JsonType {
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "string" || typeof value === "boolean") return typeof value as JsonType;
  return "object";
}

function matches(actual: JsonType, value: unknown, schema: FieldSchema): boolean {
  switch (schema.type) {
    case "object":
    case "map":
      return actual === "object";
    case "number":
      return actual === "number" || actual === "integer";
    case "integer":
      return actual === "integer" && Number.isSafeInteger(value);
    default:
      return actual === schema.type;
  }
}

function expected(schema: FieldSchema): string {
  return schema.type === "map" ? "object" : schema.type;
}
