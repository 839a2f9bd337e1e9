import type { FieldCause } from "../kube-object.js";
import { listAt, numberAt, objectAt, objectsAt, textAt } from "../json-access.js";
import { duplicate, invalid, notSupported, required } from "./field-causes.js";
import { GoSyntax, goQuote } from "./go-values.js";
import { setOperatorCauses, validateLabelSelector } from "./label-selector.js";
import { validateLabelName } from "./labels.js";
import { isLabelValue } from "./name-formats.js";

export const taintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

export function validateTaintEffect(effect: unknown, field: string): FieldCause[] {
  return typeof effect === "string" && taintEffects.includes(effect)
    ? []
    : [notSupported(field, effect ?? "", taintEffects)];
}

export function validateTolerations(tolerations: unknown, field: string): FieldCause[] {
  const causes: FieldCause[] = [];
  objectsAt(tolerations).forEach((t, i) => {
    const path = `${field}[${i}]`;
    const key = textAt(t.key);
    const operator = textAt(t.operator);
    const value = textAt(t.value);
    const effect = textAt(t.effect);
    if (key) causes.push(...validateLabelName(key, `${path}.key`));
    if (!key && operator !== "Exists") {
      causes.push(
        invalid(
          `${path}.operator`,
          operator,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (numberAt(t.tolerationSeconds) !== undefined && effect !== "NoExecute") {
      causes.push(
        invalid(
          `${path}.effect`,
          effect,
          "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
      );
    }
    if (operator === "Equal" || operator === "") {
      causes.push(...isLabelValue(value).map((m) => invalid(`${path}.operator`, value, m)));
    } else if (operator === "Exists") {
      if (value) {
        causes.push(
          invalid(
            `${path}.operator`,
            goToleration(t),
            "value must be empty when `operator` is 'Exists'",
          ),
        );
      }
    } else {
      causes.push(notSupported(`${path}.operator`, operator, ["Equal", "Exists"]));
    }
    if (effect) causes.push(...validateTaintEffect(effect, `${path}.effect`));
  });
  return causes;
}

function goToleration(t: Record<string, unknown>): GoSyntax {
  const seconds = numberAt(t.tolerationSeconds);
  return new GoSyntax(
    `core.Toleration{Key:${goQuote(textAt(t.key))}, Operator:${goQuote(textAt(t.operator))}, Value:${goQuote(textAt(t.value))}, Effect:${goQuote(textAt(t.effect))}, TolerationSeconds:${seconds === undefined ? "(*int64)(nil)" : `&${seconds}`}}`,
  );
}

function validateNodeSelectorRequirement(req: Record<string, unknown>, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const values = listAt(req.values);
  const setCauses = setOperatorCauses(req.operator, values, path);
  if (setCauses) {
    causes.push(...setCauses);
  } else if (req.operator === "Gt" || req.operator === "Lt") {
    if (values.length !== 1) {
      causes.push(
        required(
          `${path}.values`,
          "must be specified single value when `operator` is 'Lt' or 'Gt'",
        ),
      );
    }
  } else {
    causes.push(invalid(`${path}.operator`, req.operator ?? "", "not a valid selector operator"));
  }
  causes.push(...validateLabelName(textAt(req.key), `${path}.key`));
  return causes;
}

function validateNodeSelectorTerm(term: Record<string, unknown>, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  objectsAt(term.matchExpressions).forEach((req, i) => {
    causes.push(...validateNodeSelectorRequirement(req, `${path}.matchExpressions[${i}]`));
  });
  objectsAt(term.matchFields).forEach((req, i) => {
    const reqPath = `${path}.matchFields[${i}]`;
    if (req.key !== "metadata.name") {
      causes.push(notSupported(`${reqPath}.key`, textAt(req.key), ["metadata.name"]));
    }
    if (req.operator !== "In" && req.operator !== "NotIn") {
      causes.push(
        invalid(`${reqPath}.operator`, req.operator ?? "", "not a valid selector operator"),
      );
    }
    if (listAt(req.values).length !== 1) {
      causes.push(
        required(
          `${reqPath}.values`,
          "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
        ),
      );
    }
  });
  return causes;
}

function validateWeight(weight: unknown, field: string): FieldCause[] {
  const w = numberAt(weight) ?? 0;
  return w < 1 || w > 100 ? [invalid(field, w, "must be in the range 1-100")] : [];
}

function validatePodAffinityTerm(term: Record<string, unknown>, path: string): FieldCause[] {
  const causes = validateLabelSelector(term.labelSelector, `${path}.labelSelector`);
  causes.push(...validateLabelSelector(term.namespaceSelector, `${path}.namespaceSelector`));
  if (!textAt(term.topologyKey)) causes.push(required(`${path}.topologyKey`, "can not be empty"));
  else causes.push(...validateLabelName(textAt(term.topologyKey), `${path}.topologyKey`));
  return causes;
}

export function validateAffinity(affinity: unknown, field: string): FieldCause[] {
  const a = objectAt(affinity);
  if (!a) return [];
  const causes: FieldCause[] = [];
  const node = objectAt(a.nodeAffinity);
  if (node) {
    const path = `${field}.nodeAffinity`;
    const req = objectAt(node.requiredDuringSchedulingIgnoredDuringExecution);
    if (req) {
      const termsPath = `${path}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
      const terms = objectsAt(req.nodeSelectorTerms);
      if (terms.length === 0)
        causes.push(required(termsPath, "must have at least one node selector term"));
      terms.forEach((t, i) => causes.push(...validateNodeSelectorTerm(t, `${termsPath}[${i}]`)));
    }
    objectsAt(node.preferredDuringSchedulingIgnoredDuringExecution).forEach((p, i) => {
      const pPath = `${path}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      causes.push(...validateWeight(p.weight, `${pPath}.weight`));
      causes.push(...validateNodeSelectorTerm(objectAt(p.preference) ?? {}, `${pPath}.preference`));
    });
  }
  for (const key of ["podAffinity", "podAntiAffinity"]) {
    const pa = objectAt(a[key]);
    if (!pa) continue;
    const path = `${field}.${key}`;
    objectsAt(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      causes.push(
        ...validatePodAffinityTerm(
          t,
          `${path}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`,
        ),
      );
    });
    objectsAt(pa.preferredDuringSchedulingIgnoredDuringExecution).forEach((w, i) => {
      const wPath = `${path}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      causes.push(...validateWeight(w.weight, `${wPath}.weight`));
      causes.push(
        ...validatePodAffinityTerm(objectAt(w.podAffinityTerm) ?? {}, `${wPath}.podAffinityTerm`),
      );
    });
  }
  return causes;
}

export function validateTopologySpreadConstraints(
  constraints: unknown,
  field: string,
): FieldCause[] {
  const causes: FieldCause[] = [];
  const seen = new Set<string>();
  objectsAt(constraints).forEach((c, i) => {
    const path = `${field}[${i}]`;
    const maxSkew = numberAt(c.maxSkew) ?? 0;
    if (maxSkew <= 0) causes.push(invalid(`${path}.maxSkew`, maxSkew, "must be greater than zero"));
    const key = textAt(c.topologyKey);
    if (!key) causes.push(required(`${path}.topologyKey`, "can not be empty"));
    const action = textAt(c.whenUnsatisfiable);
    if (!action) causes.push(required(`${path}.whenUnsatisfiable`));
    else if (action !== "DoNotSchedule" && action !== "ScheduleAnyway") {
      causes.push(
        notSupported(`${path}.whenUnsatisfiable`, action, ["DoNotSchedule", "ScheduleAnyway"]),
      );
    }
    const pair = `{${key}, ${action}}`;
    if (seen.has(pair)) causes.push(duplicate(`${path}.{topologyKey, whenUnsatisfiable}`, pair));
    seen.add(pair);
    const minDomains = numberAt(c.minDomains);
    if (minDomains !== undefined && minDomains <= 0) {
      causes.push(invalid(`${path}.minDomains`, minDomains, "must be greater than zero"));
    }
    causes.push(...validateLabelSelector(c.labelSelector, `${path}.labelSelector`));
  });
  return causes;
}
