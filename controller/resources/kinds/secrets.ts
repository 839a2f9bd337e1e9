import type { FieldCause, KubeObject } from "../kube-object.js";
import { objectAt, stringMapAt, textAt } from "../json-access.js";
import { bool, kindSchema, str, stringMap } from "../schema/builders.js";
import { objectMetaSchema } from "../schema/object-meta-schema.js";
import { secretTable } from "../tables/secrets-table.js";
import { maxDataSize, validateDataMap } from "../validation/data-keys.js";
import { invalid, required, tooLong } from "../validation/field-causes.js";
import { immutableError } from "../validation/name-formats.js";
import { validateImmutableData } from "./configmaps.js";
import { defineKind } from "./define-kind.js";

export const secretResource = defineKind({
  group: "",
  version: "v1",
  kind: "Secret",
  plural: "secrets",
  singular: "secret",
  namespaced: true,
  statusSubresource: false,
  schema: kindSchema(objectMetaSchema, {
    data: stringMap,
    stringData: stringMap,
    type: str,
    immutable: bool,
  }),
  nameRule: "dns1123Subdomain",
  table: secretTable,
  applyDefaults: applySecretDefaults,
  validate: validateSecret,
  validateUpdate(obj, old) {
    const causes = validateImmutableData(obj, old, ["data"]);
    if (textAt(obj.type) !== textAt(old.type)) {
      causes.push(invalid("type", textAt(obj.type), immutableError));
    }
    return causes;
  },
  fieldLabels: (obj) => ({ type: textAt(obj.type) }),
});

/** Type Opaque; stringData is write-only: merged into data (base64) and dropped. */
function applySecretDefaults(obj: KubeObject): void {
  if (!obj.type) obj.type = "Opaque";
  const stringData = objectAt(obj.stringData);
  if (!stringData) return;
  const data = objectAt(obj.data) ?? {};
  for (const [key, value] of Object.entries(stringMapAt(stringData))) {
    data[key] = Buffer.from(value, "utf8").toString("base64");
  }
  obj.data = data;
  delete obj.stringData;
}

const requiredKeys: Record<string, string[]> = {
  "kubernetes.io/dockercfg": [".dockercfg"],
  "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
  "kubernetes.io/ssh-auth": ["ssh-privatekey"],
  "kubernetes.io/tls": ["tls.key", "tls.crt"],
};

function validateSecret(obj: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const size = validateDataMap(obj.data, "data", "base64", causes);
  if (size > maxDataSize) causes.push(tooLong("data", maxDataSize));
  const data = objectAt(obj.data) ?? {};
  const type = textAt(obj.type);
  for (const key of requiredKeys[type] ?? []) {
    if (!Object.hasOwn(data, key)) causes.push(required(`data[${key}]`));
  }
  if (type === "kubernetes.io/basic-auth" && !data.username && !data.password) {
    causes.push(required("data[username]"), required("data[password]"));
  }
  if (type === "kubernetes.io/service-account-token") {
    const annotations = objectAt(objectAt(obj.metadata)?.annotations) ?? {};
    if (!textAt(annotations["kubernetes.io/service-account.name"])) {
      causes.push(required("metadata.annotations[kubernetes.io/service-account.name]"));
    }
  }
  for (const key of [".dockercfg", ".dockerconfigjson"]) {
    if (type.endsWith(key.slice(1)) && typeof data[key] === "string") {
      const error = jsonError(Buffer.from(data[key] as string, "base64").toString("utf8"));
      if (error) causes.push(invalid(`data[${key}]`, "<secret contents redacted>", error));
    }
  }
  return causes;
}

function jsonError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
