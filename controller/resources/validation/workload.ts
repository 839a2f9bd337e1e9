import type { FieldCause } from "../kube-object.js";
import { numberAt, objectAt, stringMapAt } from "../json-access.js";
import { invalid, required } from "./field-causes.js";
import { GoSyntax, goStringMap } from "./go-values.js";
import {
  goLabelSelector,
  isEmptySelector,
  labelSelectorMatches,
  validateLabelSelector,
} from "./label-selector.js";
import { immutableError, nonNegativeError } from "./name-formats.js";
import { validatePodTemplateSpec } from "./pod-spec.js";
import { semanticallyEqual } from "../semantic-equal.js";

/** What Deployments and ReplicaSets share: replicas, selector, and a template it selects. */
export function validateReplicatedSpec(specValue: unknown): FieldCause[] {
  const spec = objectAt(specValue) ?? {};
  const causes: FieldCause[] = [];
  for (const key of ["replicas", "minReadySeconds"]) {
    const value = numberAt(spec[key]);
    if (value !== undefined && value < 0)
      causes.push(invalid(`spec.${key}`, value, nonNegativeError));
  }
  if (!objectAt(spec.selector)) {
    causes.push(required("spec.selector"));
  } else {
    causes.push(...validateLabelSelector(spec.selector, "spec.selector"));
    if (isEmptySelector(spec.selector)) {
      causes.push(
        invalid(
          "spec.selector",
          goLabelSelector(spec.selector),
          "empty selector is invalid for deployment",
        ),
      );
    }
  }
  // The template is a struct in Go, never nil: an absent one validates as an empty one.
  const template = objectAt(spec.template) ?? {};
  if (objectAt(spec.selector) && !isEmptySelector(spec.selector)) {
    const meta = objectAt(template.metadata) ?? {};
    const labels = stringMapAt(meta.labels);
    if (!labelSelectorMatches(spec.selector, labels)) {
      const shown = new GoSyntax(goStringMap(objectAt(meta.labels) ? labels : undefined));
      causes.push(
        invalid(
          "spec.template.metadata.labels",
          shown,
          "`selector` does not match template `labels`",
        ),
      );
    }
  }
  causes.push(...validatePodTemplateSpec(template, "spec.template", { restartPolicyAlways: true }));
  return causes;
}

/** apps/v1 makes spec.selector immutable. */
export function validateSelectorUnchanged(spec: unknown, oldSpec: unknown): FieldCause[] {
  const next = objectAt(spec)?.selector;
  const prev = objectAt(oldSpec)?.selector;
  return semanticallyEqual(next, prev)
    ? []
    : [invalid("spec.selector", goLabelSelector(next), immutableError)];
}
