import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import { findUnknownFields } from "../../resources/unknown-fields.js";
import { badRequest } from "../status.js";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export function fieldValidationParam(value: string | null): FieldValidation {
  if (value === null || value === "") return "Warn";
  if (value === "Strict" || value === "Warn" || value === "Ignore") return value;
  throw badRequest(
    `fieldValidation must be one of Strict, Warn, Ignore, not ${JSON.stringify(value)}`,
  );
}

/**
 * Unknown fields in a request body: Strict → 400 `strict decoding error: unknown field "spec.foo"`,
 * Warn → the warnings to send as `Warning: 299` headers, Ignore → nothing.
 */
export function checkFields(rt: ResourceType, obj: KubeObject, mode: FieldValidation): string[] {
  if (mode === "Ignore") return [];
  const unknown = findUnknownFields(obj, rt.schema).map((path) => `unknown field "${path}"`);
  if (unknown.length === 0) return [];
  if (mode === "Strict") throw badRequest(`strict decoding error: ${unknown.join(", ")}`);
  return unknown;
}
