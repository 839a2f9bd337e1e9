import type { FieldCause } from "../kube-object.js";
import { objectAt } from "../json-access.js";
import { invalid, tooLong } from "./field-causes.js";
import { isLabelValue, isQualifiedName } from "./name-formats.js";

/** 256 KiB: the total size of an object's annotation keys and values. */
export const totalAnnotationSizeLimit = 256 * 1024;

export function validateLabelName(key: string, field: string): FieldCause[] {
  return isQualifiedName(key).map((msg) => invalid(field, key, msg));
}

/** Label keys are qualified names, values 63-character label values; causes name the map. */
export function validateLabels(labels: unknown, field: string): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const [key, value] of Object.entries(objectAt(labels) ?? {})) {
    causes.push(...validateLabelName(key, field));
    const text = typeof value === "string" ? value : "";
    for (const msg of isLabelValue(text)) causes.push(invalid(field, text, msg));
  }
  return causes;
}

/** Annotation keys are qualified names (case-insensitive); all of them together fit in 256 KiB. */
export function validateAnnotations(annotations: unknown, field: string): FieldCause[] {
  const causes: FieldCause[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(objectAt(annotations) ?? {})) {
    for (const msg of isQualifiedName(key.toLowerCase())) causes.push(invalid(field, key, msg));
    size += Buffer.byteLength(key) + Buffer.byteLength(typeof value === "string" ? value : "");
  }
  if (size > totalAnnotationSizeLimit) causes.push(tooLong(field, totalAnnotationSizeLimit));
  return causes;
}
