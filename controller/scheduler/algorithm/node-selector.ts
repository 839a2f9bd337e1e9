import {
  listAt,
  objectAt,
  objectsAt,
  textAt,
  type JsonObject,
} from "../../resources/json-access.js";

// Node selector terms compiled once per pod. A term the API would not have parsed (a bad
// operator or value count) matches nothing, as kube-scheduler's lazy-error selector treats it.

interface LabelRequirement {
  key: string;
  operator: string;
  values: string[];
  /** The single integer bound of Gt and Lt. */
  bound: number;
}

interface FieldRequirement {
  key: string;
  equal: boolean;
  value: string;
}

export interface SelectorTerm {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  usable: boolean;
}

export interface WeightedTerm {
  weight: number;
  term: SelectorTerm;
}

const integerText = /^[+-]?[0-9]+$/;

export function compileTerms(value: unknown): SelectorTerm[] {
  return objectsAt(value).map(compileTerm);
}

export function compileTerm(raw: JsonObject): SelectorTerm {
  const labels = objectsAt(raw.matchExpressions).map(labelRequirement);
  const fields = objectsAt(raw.matchFields).map(fieldRequirement);
  const usable =
    (labels.length > 0 || fields.length > 0) &&
    labels.every((r) => r !== undefined) &&
    fields.every((r) => r !== undefined);
  return {
    labels: labels.filter((r): r is LabelRequirement => r !== undefined),
    fields: fields.filter((r): r is FieldRequirement => r !== undefined),
    usable,
  };
}

/** preferredDuringScheduling terms with a weight and something to match. */
export function compilePreferredTerms(value: unknown): WeightedTerm[] {
  const terms: WeightedTerm[] = [];
  for (const raw of objectsAt(value)) {
    const weight = typeof raw.weight === "number" ? raw.weight : 0;
    const term = compileTerm(objectAt(raw.preference) ?? {});
    if (weight !== 0 && (term.labels.length > 0 || term.fields.length > 0) && term.usable) {
      terms.push({ weight, term });
    }
  }
  return terms;
}

export function termMatches(
  term: SelectorTerm,
  labels: Readonly<Record<string, string>>,
  nodeName: string,
): boolean {
  if (!term.usable) return false;
  for (let i = 0; i < term.labels.length; i++) {
    if (!labelMatches(term.labels[i], labels)) return false;
  }
  for (let i = 0; i < term.fields.length; i++) {
    const f = term.fields[i];
    const actual = f.key === "metadata.name" ? nodeName : "";
    if ((actual === f.value) !== f.equal) return false;
  }
  return true;
}

/** True when any term matches (terms are ORed); no terms match nothing. */
export function anyTermMatches(
  terms: readonly SelectorTerm[],
  labels: Readonly<Record<string, string>>,
  nodeName: string,
): boolean {
  for (let i = 0; i < terms.length; i++) {
    if (termMatches(terms[i], labels, nodeName)) return true;
  }
  return false;
}

function labelMatches(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const present = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case "In":
      return present && r.values.includes(labels[r.key]);
    case "NotIn":
      return !present || !r.values.includes(labels[r.key]);
    case "Exists":
      return present;
    case "DoesNotExist":
      return !present;
    case "Gt":
    case "Lt": {
      if (!present || !integerText.test(labels[r.key])) return false;
      const actual = Number(labels[r.key]);
      return r.operator === "Gt" ? actual > r.bound : actual < r.bound;
    }
    default:
      return false;
  }
}

function labelRequirement(raw: JsonObject): LabelRequirement | undefined {
  const key = textAt(raw.key);
  const operator = textAt(raw.operator);
  const values = listAt(raw.values).map(textAt);
  switch (operator) {
    case "In":
    case "NotIn":
      return values.length > 0 ? { key, operator, values, bound: 0 } : undefined;
    case "Exists":
    case "DoesNotExist":
      return values.length === 0 ? { key, operator, values, bound: 0 } : undefined;
    case "Gt":
    case "Lt":
      return values.length === 1 && integerText.test(values[0])
        ? { key, operator, values, bound: Number(values[0]) }
        : undefined;
    default:
      return undefined;
  }
}

// Field selectors take In and NotIn with exactly one value.
function fieldRequirement(raw: JsonObject): FieldRequirement | undefined {
  const values = listAt(raw.values).map(textAt);
  if (values.length !== 1) return undefined;
  if (raw.operator !== "In" && raw.operator !== "NotIn") return undefined;
  return { key: textAt(raw.key), equal: raw.operator === "In", value: values[0] };
}
