import { isObject } from "./json-access.js";
import type { FieldSchema } from "./resource-type.js";

/**
 * Fields the schema does not know, as Kubernetes' strict decoding names them
 * (`spec.foo`, `spec.containers[0].imagee`), in the order they appear. Values of the wrong type are
 * not descended into; that is a type error, not an unknown field. Keys starting with "$" are
 * strategic-merge-patch directives, never fields.
 */
export function findUnknownFields(obj: unknown, schema: FieldSchema): string[] {
  const found: string[] = [];
  walk(obj, schema, "", found);
  return found;
}

function walk(value: unknown, schema: FieldSchema, path: string, found: string[]): void {
  switch (schema.type) {
    case "object":
      if (!isObject(value)) return;
      for (const [key, child] of Object.entries(value)) {
        if (key.startsWith("$")) continue;
        const childPath = path ? `${path}.${key}` : key;
        const childSchema = schema.properties[key];
        if (childSchema === undefined) found.push(childPath);
        else walk(child, childSchema, childPath, found);
      }
      return;
    case "map":
      if (!isObject(value)) return;
      for (const [key, child] of Object.entries(value)) {
        walk(child, schema.values, path ? `${path}.${key}` : key, found);
      }
      return;
    case "array":
      if (!Array.isArray(value)) return;
      value.forEach((item, i) => walk(item, schema.items, `${path}[${i}]`, found));
      return;
    default:
      return;
  }
}
