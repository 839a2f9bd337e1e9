import type { FieldCause } from "../kube-object.js";
import { objectAt } from "../json-access.js";
import { compareQuantities, formatQuantity, readQuantity, type Quantity } from "../quantity.js";
import { invalid, required } from "./field-causes.js";
import { isQualifiedName, nonNegativeError } from "./name-formats.js";

const standardContainerResources = new Set(["cpu", "memory", "ephemeral-storage"]);

const isHugePages = (name: string) => name.startsWith("hugepages-");
// Native resources live in kubernetes.io; anything else with a domain is an extended resource.
const isNative = (name: string) => !name.includes("/") || name.includes("kubernetes.io/");
const overcommitAllowed = (name: string) => isNative(name) && !isHugePages(name);

/** ValidateContainerResourceRequirements: names, quantities, requests ≤ limits. */
export function validateResourceRequirements(resources: unknown, field: string): FieldCause[] {
  const res = objectAt(resources) ?? {};
  const limits = objectAt(res.limits) ?? {};
  const requests = objectAt(res.requests) ?? {};
  const causes: FieldCause[] = [];
  const parsedLimits = new Map<string, Quantity>();
  for (const [name, value] of Object.entries(limits)) {
    const path = `${field}.limits[${name}]`;
    causes.push(...validateResourceName(name, path));
    const q = validateQuantityValue(name, value, path, causes);
    if (q) parsedLimits.set(name, q);
  }
  for (const [name, value] of Object.entries(requests)) {
    const path = `${field}.requests[${name}]`;
    causes.push(...validateResourceName(name, path));
    const q = validateQuantityValue(name, value, path, causes);
    if (!q) continue;
    const limit = parsedLimits.get(name);
    if (limit) {
      const cmp = compareQuantities(q, limit);
      if (cmp !== 0 && !overcommitAllowed(name)) {
        causes.push(
          invalid(
            `${field}.requests`,
            formatQuantity(q),
            `must be equal to ${name} limit of ${formatQuantity(limit)}`,
          ),
        );
      } else if (cmp > 0) {
        causes.push(
          invalid(
            `${field}.requests`,
            formatQuantity(q),
            `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`,
          ),
        );
      }
    } else if (!overcommitAllowed(name)) {
      causes.push(
        required(`${field}.limits`, "Limit must be set for non overcommitable resources"),
      );
    }
  }
  return causes;
}

function validateResourceName(name: string, field: string): FieldCause[] {
  const causes = isQualifiedName(name).map((msg) => invalid(field, name, msg));
  if (!name.includes("/")) {
    if (!standardContainerResources.has(name) && !isHugePages(name)) {
      causes.push(invalid(field, name, "must be a standard resource for containers"));
    }
  } else if (!isNative(name) && name.startsWith("requests.")) {
    causes.push(invalid(field, name, "doesn't follow extended resource name standard"));
  }
  return causes;
}

/** A quantity that parses and is not negative (extended resources also whole), else a cause. */
export function validateQuantityValue(
  name: string,
  value: unknown,
  field: string,
  causes: FieldCause[],
): Quantity | undefined {
  const q = readQuantity(value);
  if ("error" in q) {
    causes.push(invalid(field, value, q.error));
    return undefined;
  }
  if (q.unscaled < 0n) causes.push(invalid(field, formatQuantity(q), nonNegativeError));
  if (!isNative(name) && q.exponent10 < 0 && q.unscaled % 10n ** BigInt(-q.exponent10) !== 0n) {
    causes.push(invalid(field, formatQuantity(q), "must be an integer"));
  }
  return q;
}
