import type { FieldCause } from "../kube-object.js";
import { objectAt, textAt } from "../json-access.js";
import { decodedBase64Length } from "./base64.js";
import { invalid } from "./field-causes.js";
import { isConfigMapKey } from "./name-formats.js";

/** 1 MiB: the most data a ConfigMap or Secret may hold. */
export const maxDataSize = 1024 * 1024;

/** Keys must be config keys; values are counted in bytes (decoded when base64). */
export function validateDataMap(
  data: unknown,
  field: string,
  encoding: "text" | "base64",
  causes: FieldCause[],
): number {
  let size = 0;
  for (const [key, value] of Object.entries(objectAt(data) ?? {})) {
    const path = `${field}[${key}]`;
    causes.push(...isConfigMapKey(key).map((m) => invalid(path, key, m)));
    if (encoding === "text") {
      size += Buffer.byteLength(textAt(value));
      continue;
    }
    const decoded = decodedBase64Length(textAt(value));
    if (typeof decoded === "number") size += decoded;
    else causes.push(invalid(path, "<secret contents redacted>", decoded.error));
  }
  return size;
}
