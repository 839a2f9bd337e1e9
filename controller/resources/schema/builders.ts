import type { FieldSchema } from "../resource-type.js";

// Terse constructors so the kind schemas read like the Kubernetes types they mirror.

export const str: FieldSchema = { type: "string" };
export const int: FieldSchema = { type: "integer" };
export const num: FieldSchema = { type: "number" };
export const bool: FieldSchema = { type: "boolean" };
/** int-or-string, Quantity, RawExtension and other values that take more than one JSON type. */
export const any: FieldSchema = { type: "any" };
/** metav1.Time and MicroTime travel as RFC 3339 strings. */
export const time: FieldSchema = str;

export const obj = (properties: Record<string, FieldSchema>): FieldSchema => ({
  type: "object",
  properties,
});
export const arr = (items: FieldSchema): FieldSchema => ({ type: "array", items });
export const map = (values: FieldSchema): FieldSchema => ({ type: "map", values });

export const strings = arr(str);
export const stringMap = map(str);
/** ResourceList: resource name → Quantity. */
export const quantityMap = map(any);

/** apiVersion, kind, metadata, then the kind's own top-level fields. */
export const kindSchema = (
  metadata: FieldSchema,
  fields: Record<string, FieldSchema>,
): FieldSchema => obj({ apiVersion: str, kind: str, metadata, ...fields });
