import type { FieldCause } from "../kube-object.js";
import { listAt, objectAt, objectsAt, stringMapAt, textAt } from "../json-access.js";
import { forbidden, invalid, required } from "./field-causes.js";
import { GoSyntax, goQuote, goStringMap, goStringSlice } from "./go-values.js";
import { validateLabelName, validateLabels } from "./labels.js";
import { isLabelValue } from "./name-formats.js";

/**
 * The values rule of the set operators selectors share (In/NotIn need values, Exists/DoesNotExist
 * take none); undefined for any other operator, which the caller judges.
 */
export function setOperatorCauses(
  operator: unknown,
  values: unknown[],
  path: string,
): FieldCause[] | undefined {
  switch (operator) {
    case "In":
    case "NotIn":
      return values.length === 0
        ? [required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'")]
        : [];
    case "Exists":
    case "DoesNotExist":
      return values.length > 0
        ? [
            forbidden(
              `${path}.values`,
              "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            ),
          ]
        : [];
    default:
      return undefined;
  }
}

/** metav1 ValidateLabelSelector: matchLabels as labels, each requirement's operator, key and values. */
export function validateLabelSelector(selector: unknown, field: string): FieldCause[] {
  const sel = objectAt(selector);
  if (!sel) return [];
  const causes = validateLabels(sel.matchLabels, `${field}.matchLabels`);
  objectsAt(sel.matchExpressions).forEach((req, i) => {
    const path = `${field}.matchExpressions[${i}]`;
    const values = listAt(req.values);
    const setCauses = setOperatorCauses(req.operator, values, path);
    if (setCauses) causes.push(...setCauses);
    else
      causes.push(invalid(`${path}.operator`, req.operator ?? "", "not a valid selector operator"));
    causes.push(...validateLabelName(textAt(req.key), `${path}.key`));
    values.forEach((v, j) => {
      for (const msg of isLabelValue(textAt(v))) {
        causes.push(invalid(`${path}.values[${j}]`, v, msg));
      }
    });
  });
  return causes;
}

/** Whether labels satisfy a LabelSelector; an empty selector matches everything. */
export function labelSelectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  const sel = objectAt(selector) ?? {};
  for (const [k, v] of Object.entries(stringMapAt(sel.matchLabels))) {
    if (labels[k] !== v) return false;
  }
  for (const req of objectsAt(sel.matchExpressions)) {
    const key = textAt(req.key);
    const values = listAt(req.values).map(textAt);
    const has = Object.hasOwn(labels, key);
    switch (req.operator) {
      case "In":
        if (!has || !values.includes(labels[key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Whether a selector selects nothing in particular (no labels, no expressions). */
export function isEmptySelector(selector: unknown): boolean {
  const sel = objectAt(selector) ?? {};
  return (
    Object.keys(objectAt(sel.matchLabels) ?? {}).length === 0 &&
    listAt(sel.matchExpressions).length === 0
  );
}

/** A *metav1.LabelSelector as Go's %#v prints it in "field is immutable" messages. */
export function goLabelSelector(selector: unknown): GoSyntax {
  const sel = objectAt(selector);
  if (!sel) return new GoSyntax("null");
  const labels = objectAt(sel.matchLabels) ? stringMapAt(sel.matchLabels) : undefined;
  const exprs = Array.isArray(sel.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${objectsAt(sel.matchExpressions)
        .map(
          (r) =>
            `v1.LabelSelectorRequirement{Key:${goQuote(textAt(r.key))}, Operator:${goQuote(textAt(r.operator))}, Values:${goStringSlice(Array.isArray(r.values) ? r.values.map(textAt) : undefined)}}`,
        )
        .join(", ")}}`
    : "[]v1.LabelSelectorRequirement(nil)";
  return new GoSyntax(
    `v1.LabelSelector{MatchLabels:${goStringMap(labels)}, MatchExpressions:${exprs}}`,
  );
}
