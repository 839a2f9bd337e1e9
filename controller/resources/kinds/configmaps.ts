import type { FieldCause, KubeObject } from "../kube-object.js";
import { objectAt } from "../json-access.js";
import { bool, kindSchema, stringMap } from "../schema/builders.js";
import { objectMetaSchema } from "../schema/object-meta-schema.js";
import { semanticallyEqual } from "../semantic-equal.js";
import { configMapTable } from "../tables/configmaps-table.js";
import { maxDataSize, validateDataMap } from "../validation/data-keys.js";
import { forbidden, invalid, tooLong } from "../validation/field-causes.js";
import { defineKind } from "./define-kind.js";

export const configMapResource = defineKind({
  group: "",
  version: "v1",
  kind: "ConfigMap",
  plural: "configmaps",
  singular: "configmap",
  namespaced: true,
  shortNames: ["cm"],
  statusSubresource: false,
  schema: kindSchema(objectMetaSchema, { data: stringMap, binaryData: stringMap, immutable: bool }),
  nameRule: "dns1123Subdomain",
  table: configMapTable,
  validate: validateConfigMap,
  validateUpdate: (obj, old) => validateImmutableData(obj, old, ["data", "binaryData"]),
});

function validateConfigMap(obj: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  let size = validateDataMap(obj.data, "data", "text", causes);
  size += validateDataMap(obj.binaryData, "binaryData", "base64", causes);
  const binary = objectAt(obj.binaryData) ?? {};
  for (const key of Object.keys(objectAt(obj.data) ?? {})) {
    if (Object.hasOwn(binary, key)) {
      causes.push(invalid(`data[${key}]`, key, "duplicate of key present in binaryData"));
    }
  }
  // Kubernetes reports the whole object as too long, with an empty field path.
  if (size > maxDataSize) causes.push(tooLong("", maxDataSize));
  return causes;
}

/** Objects marked immutable keep their data and stay immutable. */
export function validateImmutableData(
  obj: KubeObject,
  old: KubeObject,
  fields: string[],
): FieldCause[] {
  if (old.immutable !== true) return [];
  const message = "field is immutable when `immutable` is set";
  const causes: FieldCause[] = [];
  if (obj.immutable !== true) causes.push(forbidden("immutable", message));
  for (const key of fields) {
    if (!semanticallyEqual(obj[key], old[key])) causes.push(forbidden(key, message));
  }
  return causes;
}
