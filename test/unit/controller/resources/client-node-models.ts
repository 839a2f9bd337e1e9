import * as k8s from "@kubernetes/client-node";
import type { FieldSchema } from "../../../../controller/resources/resource-type.js";

// @kubernetes/client-node generates one class per Kubernetes type with the JSON name and type of
// every field; walking them against our schemas finds fields we miss and fields we invented.

interface Attribute {
  baseName: string;
  type: string;
  format: string;
}

type ModelClass = { getAttributeTypeMap(): Attribute[] };

function modelClass(name: string): ModelClass | undefined {
  const candidate = (k8s as unknown as Record<string, unknown>)[name];
  return typeof candidate === "function" && "getAttributeTypeMap" in candidate
    ? (candidate as unknown as ModelClass)
    : undefined;
}

/** Differences between a schema and a client-node model, as paths with what is wrong. */
export function compareWithModel(schema: FieldSchema, model: string): string[] {
  const problems: string[] = [];
  compare(schema, model, "", "", problems);
  return problems;
}

function compare(
  schema: FieldSchema,
  type: string,
  format: string,
  path: string,
  problems: string[],
): void {
  if (schema.type === "any") return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (schema.type !== "array")
      problems.push(`${path}: array expected, schema has ${schema.type}`);
    else compare(schema.items, array[1], format, `${path}[]`, problems);
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (schema.type !== "map") problems.push(`${path}: map expected, schema has ${schema.type}`);
    else compare(schema.values, map[1], format, `${path}{}`, problems);
    return;
  }
  const cls = modelClass(type);
  if (cls) {
    if (schema.type !== "object") {
      problems.push(`${path}: object (${type}) expected, schema has ${schema.type}`);
      return;
    }
    const attrs = cls.getAttributeTypeMap();
    for (const attr of attrs) {
      const child = schema.properties[attr.baseName];
      const childPath = path ? `${path}.${attr.baseName}` : attr.baseName;
      if (!child) problems.push(`${childPath}: missing from schema`);
      else compare(child, attr.type, attr.format, childPath, problems);
    }
    for (const key of Object.keys(schema.properties)) {
      if (!attrs.some((a) => a.baseName === key)) {
        problems.push(`${path ? `${path}.` : ""}${key}: not a field of ${type}`);
      }
    }
    return;
  }
  const expected = scalarType(type, format);
  if (expected && schema.type !== expected) {
    problems.push(`${path}: ${expected} expected (${type}/${format}), schema has ${schema.type}`);
  }
}

function scalarType(type: string, format: string): FieldSchema["type"] | undefined {
  if (type === "string" || type === "Date" || type === "V1MicroTime") return "string";
  if (type === "boolean") return "boolean";
  if (type === "number") return format === "int32" || format === "int64" ? "integer" : "number";
  if (type === "IntOrString" || type === "any" || type === "object") return "any";
  return undefined;
}
