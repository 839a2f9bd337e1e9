import { invalidArgument } from "../../lib/errors.js";

/**
 * intstr.GetScaledValueFromIntOrPercent: an integer as is, "N%" as N% of total rounded up or down.
 * Anything else is refused with the field named.
 */
export function scaledValue(
  value: unknown,
  total: number,
  roundUp: boolean,
  field: string,
): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === "string") {
    const match = /^(\d+)%$/.exec(value);
    if (match) {
      const scaled = (Number(match[1]) * total) / 100;
      return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
    }
  }
  throw invalidArgument(
    `${field}: ${JSON.stringify(value)} must be a non-negative integer or a percentage (e.g. "25%")`,
    { field },
  );
}

/**
 * ResolveFenceposts: maxSurge rounds up, maxUnavailable down; when both come out 0 (e.g. 1% of 2
 * replicas), one pod may be unavailable so the rollout can still move.
 */
export function resolveFenceposts(
  maxSurge: unknown,
  maxUnavailable: unknown,
  desired: number,
  fieldPrefix: string,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true, `${fieldPrefix}.maxSurge`);
  let unavailable = scaledValue(maxUnavailable, desired, false, `${fieldPrefix}.maxUnavailable`);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}
