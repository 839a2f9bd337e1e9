import { isLabelKey, isLabelValue } from "./label-syntax.js";
import { optionalRecord, record } from "./json-fields.js";

/*
 * A LabelSelector ({matchLabels, matchExpressions}) as Kubernetes prints it: one requirement per
 * label or expression, sorted by key, comma-joined: "app=web,!canary,env notin (dev),tier in (a,b)".
 */

type Requirement = { key: string; text: string };

/**
 * The selector as Kubernetes' labels.Selector String() writes it: "" when it selects everything
 * (no requirements) or nothing (no selector); undefined when it is malformed (unknown operator,
 * values where none belong or missing where needed, bad label syntax).
 */
export function labelSelectorString(selector: unknown): string | undefined {
  if (selector === undefined || selector === null) return "";
  const fields = optionalRecord(selector);
  if (fields === undefined) return undefined;
  const requirements = requirementsOf(fields);
  if (requirements === undefined) return undefined;
  // Array.prototype.sort is stable: a key in matchLabels stays before the same key's expressions.
  requirements.sort((a, b) => compareBytes(a.key, b.key));
  return requirements.map((r) => r.text).join(",");
}

/** metav1.FormatLabelSelector: labelSelectorString, "<none>" when empty, "<error>" when malformed. */
export function formatLabelSelector(selector: unknown): string {
  const text = labelSelectorString(selector);
  if (text === undefined) return "<error>";
  return text === "" ? "<none>" : text;
}

/** A plain label map (a Service's selector) as labels.FormatLabels prints it: "a=1,b=2", or "<none>". */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(record(labels))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : String(value)}`)
    .sort(compareBytes);
  return entries.length === 0 ? "<none>" : entries.join(",");
}

function requirementsOf(selector: Record<string, unknown>): Requirement[] | undefined {
  const requirements: Requirement[] = [];
  if (selector.matchLabels !== undefined && selector.matchLabels !== null) {
    const labels = optionalRecord(selector.matchLabels);
    if (labels === undefined) return undefined;
    for (const [key, value] of Object.entries(labels)) {
      if (typeof value !== "string" || !isLabelKey(key) || !isLabelValue(value)) return undefined;
      requirements.push({ key, text: `${key}=${value}` });
    }
  }
  if (selector.matchExpressions !== undefined && selector.matchExpressions !== null) {
    if (!Array.isArray(selector.matchExpressions)) return undefined;
    for (const expression of selector.matchExpressions) {
      const requirement = expressionRequirement(expression);
      if (requirement === undefined) return undefined;
      requirements.push(requirement);
    }
  }
  return requirements;
}

function expressionRequirement(expression: unknown): Requirement | undefined {
  const fields = optionalRecord(expression);
  if (fields === undefined) return undefined;
  const { key, operator } = fields;
  const values = fields.values ?? [];
  if (typeof key !== "string" || !isLabelKey(key)) return undefined;
  if (!Array.isArray(values) || !values.every((v) => typeof v === "string" && isLabelValue(v))) {
    return undefined;
  }
  const sorted = [...(values as string[])].sort(compareBytes);
  switch (operator) {
    case "In":
    case "NotIn":
      if (sorted.length === 0) return undefined;
      return { key, text: `${key} ${operator === "In" ? "in" : "notin"} (${sorted.join(",")})` };
    case "Exists":
      return sorted.length === 0 ? { key, text: key } : undefined;
    case "DoesNotExist":
      return sorted.length === 0 ? { key, text: `!${key}` } : undefined;
    default:
      return undefined;
  }
}

/** Go's string order (byte-wise); label keys and values are ASCII, where this equals UTF-16 order. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
