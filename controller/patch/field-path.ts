// A field path of server-side apply, as managedFields spells its steps:
//   "f:<name>"       a field of a map ("f:spec", "f:app" under labels)
//   "k:<json>"       an item of a keyed list, by its key fields ('k:{"name":"c"}')
//   "v:<json>"       an item of a scalar set ('v:"kubernetes.io/pvc-protection"')
//   "i:<index>"      an item by position (read from stored managedFields, never produced here)
import type { ListType } from "./merge-keys.js";
import { isJsonObject } from "./json-value.js";

export type FieldPath = readonly string[];

export const fieldStep = (name: string): string => `f:${name}`;

/** The step naming one item of a merged list, or undefined when the item lacks a key field. */
export function itemStep(rule: ListType, item: unknown): string | undefined {
  if (rule.type === "set") return `v:${JSON.stringify(item)}`;
  if (!isJsonObject(item)) return undefined;
  const key: Record<string, unknown> = {};
  for (const name of [...rule.keys].sort()) {
    const value = item[name] ?? rule.keyDefaults[name];
    if (value === undefined || value === null) return undefined;
    key[name] = value;
  }
  return `k:${JSON.stringify(key)}`;
}

/** A path as Kubernetes prints it in conflicts: .spec.containers[name="c"].image */
export function formatFieldPath(path: FieldPath): string {
  return path.map(formatStep).join("");
}

function formatStep(step: string): string {
  const body = step.slice(2);
  switch (step.slice(0, 2)) {
    case "f:":
      return `.${body}`;
    case "v:":
      return `[=${body}]`;
    case "i:":
      return `[${body}]`;
    case "k:": {
      try {
        const key = JSON.parse(body) as Record<string, unknown>;
        const parts = Object.entries(key).map(
          ([name, value]) => `${name}=${JSON.stringify(value)}`,
        );
        return `[${parts.join(",")}]`;
      } catch {
        return `[${body}]`;
      }
    }
    default:
      return step;
  }
}

// Fields the server sets itself; nobody owns them (as Kubernetes' field manager strips them).
const ignoredFields: FieldPath[] = [
  ["f:apiVersion"],
  ["f:kind"],
  ...["name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation"].map(
    (name) => ["f:metadata", `f:${name}`],
  ),
  ["f:metadata", "f:managedFields"],
  ["f:metadata", "f:resourceVersion"],
];

export function isIgnoredField(path: FieldPath): boolean {
  return ignoredFields.some(
    (ignored) => ignored.length === path.length && ignored.every((step, i) => step === path[i]),
  );
}
