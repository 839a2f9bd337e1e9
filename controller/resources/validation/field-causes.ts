import type { FieldCause } from "../kube-object.js";
import { goQuote, goValue } from "./go-values.js";

// The field.Error constructors of Kubernetes' apimachinery, producing Status causes worded the same.

export const required = (field: string, detail = ""): FieldCause => ({
  reason: "FieldValueRequired",
  message: withDetail("Required value", detail),
  field,
});

export const invalid = (field: string, value: unknown, detail: string): FieldCause => ({
  reason: "FieldValueInvalid",
  message: withDetail(`Invalid value: ${goValue(value)}`, detail),
  field,
});

export const notSupported = (field: string, value: unknown, valid: string[]): FieldCause => ({
  reason: "FieldValueNotSupported",
  message: withDetail(
    `Unsupported value: ${goValue(value)}`,
    valid.length > 0 ? `supported values: ${valid.map(goQuote).join(", ")}` : "",
  ),
  field,
});

export const duplicate = (field: string, value: unknown): FieldCause => ({
  reason: "FieldValueDuplicate",
  message: `Duplicate value: ${goValue(value)}`,
  field,
});

export const forbidden = (field: string, detail: string): FieldCause => ({
  reason: "FieldValueForbidden",
  message: withDetail("Forbidden", detail),
  field,
});

export const notFound = (field: string, value: unknown): FieldCause => ({
  reason: "FieldValueNotFound",
  message: `Not found: ${goValue(value)}`,
  field,
});

/** Sizes in bytes, as Kubernetes 1.32 words field.TooLong. */
export const tooLong = (field: string, maxBytes: number): FieldCause => ({
  reason: "FieldValueTooLong",
  message: `Too long: may not be more than ${maxBytes} bytes`,
  field,
});

/** One Invalid cause per message of a name/format check (Kubernetes reports each separately). */
export const invalidEach = (field: string, value: unknown, messages: string[]): FieldCause[] =>
  messages.map((m) => invalid(field, value, m));

/** field.ErrorList.ToAggregate drops causes whose full text repeats; so do we. */
export function dedupe(causes: FieldCause[]): FieldCause[] {
  const seen = new Set<string>();
  return causes.filter((c) => {
    const key = `${c.field}: ${c.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function withDetail(head: string, detail: string): string {
  return detail ? `${head}: ${detail}` : head;
}
