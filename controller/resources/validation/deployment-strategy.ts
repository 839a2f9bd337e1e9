import type { FieldCause } from "../kube-object.js";
import { numberAt, objectAt, textAt } from "../json-access.js";
import { forbidden, invalid, notSupported, required } from "./field-causes.js";
import { GoSyntax, goQuote } from "./go-values.js";
import { isValidPercent, nonNegativeError } from "./name-formats.js";

/** The rest of ValidateDeploymentSpec: strategy, revisionHistoryLimit, progressDeadlineSeconds. */
export function validateDeploymentSettings(specValue: unknown): FieldCause[] {
  const spec = objectAt(specValue) ?? {};
  const causes = validateStrategy(spec.strategy, "spec.strategy");
  const history = numberAt(spec.revisionHistoryLimit);
  if (history !== undefined && history < 0) {
    causes.push(invalid("spec.revisionHistoryLimit", history, nonNegativeError));
  }
  const deadline = numberAt(spec.progressDeadlineSeconds);
  if (deadline !== undefined) {
    if (deadline < 0)
      causes.push(invalid("spec.progressDeadlineSeconds", deadline, nonNegativeError));
    if (deadline <= (numberAt(spec.minReadySeconds) ?? 0)) {
      causes.push(
        invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"),
      );
    }
  }
  return causes;
}

function validateStrategy(strategyValue: unknown, field: string): FieldCause[] {
  const strategy = objectAt(strategyValue) ?? {};
  const rolling = objectAt(strategy.rollingUpdate);
  switch (strategy.type) {
    case "Recreate":
      return rolling
        ? [
            forbidden(
              `${field}.rollingUpdate`,
              "may not be specified when strategy `type` is 'Recreate'",
            ),
          ]
        : [];
    case "RollingUpdate":
      return rolling
        ? validateRollingUpdate(rolling, `${field}.rollingUpdate`)
        : [required(`${field}.rollingUpdate`, "this should be defaulted and never be nil")];
    default: {
      const shown = new GoSyntax(
        `apps.DeploymentStrategy{Type:${goQuote(textAt(strategy.type))}, RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}`,
      );
      return [notSupported(field, shown, ["Recreate", "RollingUpdate"])];
    }
  }
}

function validateRollingUpdate(rolling: Record<string, unknown>, field: string): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const key of ["maxUnavailable", "maxSurge"]) {
    causes.push(...validateIntOrPercent(rolling[key], `${field}.${key}`));
  }
  if (isZero(rolling.maxUnavailable) && isZero(rolling.maxSurge)) {
    causes.push(
      invalid(
        `${field}.maxUnavailable`,
        intOrString(rolling.maxUnavailable),
        "may not be 0 when `maxSurge` is 0",
      ),
    );
  }
  const unavailable = percentOf(rolling.maxUnavailable);
  if (unavailable !== undefined && unavailable > 100) {
    causes.push(
      invalid(
        `${field}.maxUnavailable`,
        intOrString(rolling.maxUnavailable),
        "must not be greater than 100%",
      ),
    );
  }
  return causes;
}

function validateIntOrPercent(value: unknown, field: string): FieldCause[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") {
    return isValidPercent(value).map((m) => invalid(field, intOrString(value), m));
  }
  if (typeof value === "number") {
    return value < 0 ? [invalid(field, value, nonNegativeError)] : [];
  }
  return [invalid(field, intOrString(value), "must be an integer or percentage (e.g '5%')")];
}

// IntOrString implements Stringer, so Kubernetes prints it bare: `Invalid value: 25%: …`.
function intOrString(value: unknown): GoSyntax {
  return new GoSyntax(typeof value === "string" || typeof value === "number" ? String(value) : "0");
}

function percentOf(value: unknown): number | undefined {
  return typeof value === "string" && /^[0-9]+%$/.test(value)
    ? Number(value.slice(0, -1))
    : undefined;
}

function isZero(value: unknown): boolean {
  return value === undefined || value === null || value === 0 || percentOf(value) === 0;
}
