// metadata.managedFields in and out: one entry per manager identity, its fields as a FieldSet.
import { invalidArgument } from "../../lib/errors.js";
import type { ManagedFieldsEntry } from "../resources/kube-object.js";
import { FieldSet } from "./field-set.js";
import { decodeFieldsV1, encodeFieldsV1 } from "./fields-v1.js";
import { describeJson, isJsonObject, type JsonObject } from "./json-value.js";

export interface Manager {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  subresource?: string;
  time?: string;
  fields: FieldSet;
}

/**
 * Two entries are the same manager when name, operation and subresource match, and for updates
 * the apiVersion too (an applier keeps one entry whatever version it applies with), as in
 * Kubernetes.
 */
export function sameManager(a: Omit<Manager, "fields">, b: Omit<Manager, "fields">): boolean {
  return (
    a.manager === b.manager &&
    a.operation === b.operation &&
    (a.subresource ?? "") === (b.subresource ?? "") &&
    (a.operation === "Apply" || a.apiVersion === b.apiVersion)
  );
}

/** Decodes managedFields; entries of the same manager are merged. `field` names it in errors. */
export function readManagedFields(value: unknown, field = "metadata.managedFields"): Manager[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidArgument(`${field} must be a list`, { field });
  const managers: Manager[] = [];
  value.forEach((raw, i) => {
    const where = `${field}[${i}]`;
    if (!isJsonObject(raw)) throw invalidArgument(`${where} must be an object`, { field: where });
    const text = (name: string, required: boolean): string | undefined => {
      const v = raw[name];
      if (v === undefined && !required) return undefined;
      if (typeof v !== "string" || (required && v === "")) {
        throw invalidArgument(
          `${where}.${name} must be a non-empty string, got ${describeJson(v)}`,
          {
            field: `${where}.${name}`,
          },
        );
      }
      return v;
    };
    const operation = text("operation", true);
    if (operation !== "Apply" && operation !== "Update") {
      throw invalidArgument(
        `${where}.operation must be Apply or Update, got ${describeJson(operation)}`,
        {
          field: `${where}.operation`,
        },
      );
    }
    if (raw.fieldsType !== undefined && raw.fieldsType !== "FieldsV1") {
      throw invalidArgument(
        `${where}.fieldsType must be FieldsV1, got ${describeJson(raw.fieldsType)}`,
        {
          field: `${where}.fieldsType`,
        },
      );
    }
    const entry: Manager = {
      manager: text("manager", false) ?? "",
      operation,
      apiVersion: text("apiVersion", false) ?? "",
      subresource: text("subresource", false) || undefined,
      time: text("time", false),
      fields: decodeFieldsV1(raw.fieldsV1 ?? {}, `${where}.fieldsV1`),
    };
    const same = managers.find((m) => sameManager(m, entry));
    if (same === undefined) managers.push(entry);
    else same.fields = same.fields.union(entry.fields);
  });
  return managers;
}

/** Encodes managers as Kubernetes orders them: Apply before Update, then by time, then name. */
export function writeManagedFields(managers: Manager[]): ManagedFieldsEntry[] {
  return managers
    .filter((m) => !m.fields.isEmpty())
    .sort(
      (a, b) =>
        compare(a.operation, b.operation) ||
        compare(a.time ?? "", b.time ?? "") ||
        compare(a.manager, b.manager) ||
        compare(a.apiVersion, b.apiVersion) ||
        compare(a.subresource ?? "", b.subresource ?? ""),
    )
    .map((m) => ({
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      ...(m.time === undefined ? {} : { time: m.time }),
      fieldsType: "FieldsV1" as const,
      fieldsV1: encodeFieldsV1(m.fields),
      ...(m.subresource === undefined ? {} : { subresource: m.subresource }),
    }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A shallow copy of `object` without metadata.managedFields (nothing else is copied). */
export function withoutManagedFields(object: JsonObject): JsonObject {
  if (!isJsonObject(object.metadata) || !Object.hasOwn(object.metadata, "managedFields"))
    return object;
  const metadata = { ...object.metadata };
  delete metadata.managedFields;
  return { ...object, metadata };
}

/** Sets metadata.managedFields on `object` (owned by the caller); none at all when empty. */
export function setManagedFields(object: JsonObject, entries: ManagedFieldsEntry[]): void {
  const metadata = isJsonObject(object.metadata) ? object.metadata : {};
  if (entries.length > 0) metadata.managedFields = entries;
  else delete metadata.managedFields;
  if (entries.length > 0 || isJsonObject(object.metadata)) object.metadata = metadata;
}
