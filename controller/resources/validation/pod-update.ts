import type { FieldCause } from "../kube-object.js";
import { numberAt, objectAt, objectsAt, textAt } from "../json-access.js";
import { semanticallyEqual } from "../semantic-equal.js";
import { forbidden, invalid } from "./field-causes.js";
import { validateTolerations } from "./scheduling.js";

export const podSpecUpdateMessage =
  "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/**
 * ValidatePodUpdate's spec rules: only images, a shorter activeDeadlineSeconds, added tolerations,
 * removed scheduling gates and terminationGracePeriodSeconds from negative to 1 may change;
 * anything else (spec.nodeName included: that is the binding's job) is one Forbidden on spec.
 */
export function validatePodSpecUpdate(specValue: unknown, oldSpecValue: unknown): FieldCause[] {
  const spec = objectAt(specValue) ?? {};
  const old = objectAt(oldSpecValue) ?? {};
  for (const list of ["containers", "initContainers"]) {
    if (objectsAt(spec[list]).length !== objectsAt(old[list]).length) {
      return [forbidden(`spec.${list}`, "pod updates may not add or remove containers")];
    }
  }
  const causes: FieldCause[] = [];
  causes.push(...validateDeadlineUpdate(spec, old));
  causes.push(...validateOnlyAddedTolerations(spec.tolerations, old.tolerations));
  causes.push(...validateOnlyRemovedSchedulingGates(spec.schedulingGates, old.schedulingGates));

  const munged: Record<string, unknown> = structuredClone(spec);
  for (const list of ["containers", "initContainers"]) {
    const oldList = objectsAt(old[list]);
    const mungedList = objectsAt(munged[list]);
    mungedList.forEach((c, i) => {
      if (oldList[i].image === undefined) delete c.image;
      else c.image = oldList[i].image;
    });
    if (Array.isArray(munged[list])) munged[list] = mungedList;
  }
  munged.activeDeadlineSeconds = old.activeDeadlineSeconds;
  munged.tolerations = old.tolerations;
  munged.schedulingGates = old.schedulingGates;
  const oldGrace = numberAt(old.terminationGracePeriodSeconds);
  if (
    oldGrace !== undefined &&
    oldGrace < 0 &&
    numberAt(spec.terminationGracePeriodSeconds) === 1
  ) {
    munged.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  }
  if (!semanticallyEqual(munged, old)) causes.push(forbidden("spec", podSpecUpdateMessage));
  return causes;
}

function validateDeadlineUpdate(
  spec: Record<string, unknown>,
  old: Record<string, unknown>,
): FieldCause[] {
  const field = "spec.activeDeadlineSeconds";
  const next = numberAt(spec.activeDeadlineSeconds);
  const previous = numberAt(old.activeDeadlineSeconds);
  if (previous === undefined) return [];
  if (next === undefined) {
    return [invalid(field, null, "must not update from a positive integer to nil value")];
  }
  return next > previous
    ? [invalid(field, next, "must be less than or equal to previous value")]
    : [];
}

function validateOnlyAddedTolerations(next: unknown, previous: unknown): FieldCause[] {
  const added = objectsAt(next);
  for (const old of objectsAt(previous)) {
    // tolerationSeconds of an existing toleration may change; nothing else may.
    const kept = added.some((t) =>
      semanticallyEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t),
    );
    if (!kept) {
      return [
        forbidden(
          "spec.tolerations",
          "existing toleration can not be modified except its tolerationSeconds",
        ),
      ];
    }
  }
  return validateTolerations(next, "spec.tolerations");
}

function validateOnlyRemovedSchedulingGates(next: unknown, previous: unknown): FieldCause[] {
  const before = new Set(objectsAt(previous).map((g) => textAt(g.name)));
  for (const gate of objectsAt(next)) {
    const name = textAt(gate.name);
    if (!before.has(name)) {
      return [
        forbidden(
          "spec.schedulingGates",
          `only deletion is allowed, but found new scheduling gate '${name}'`,
        ),
      ];
    }
  }
  return [];
}
