import { badRequest } from "./kube-status.js";

/**
 * Query parameters as Kubernetes reads them: a flag is Go's ParseBool ("1", "true", "t"…), a
 * present but empty flag is false, and a bad value is a 400 naming the parameter.
 */
export function flagParam(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null || value === "") return false;
  if (["1", "t", "T", "true", "TRUE", "True"].includes(value)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(value)) return false;
  throw badRequest(`query parameter ${name}: ${JSON.stringify(value)} is not a boolean`);
}

/** An integer parameter of at least `min`, or undefined when absent. */
export function integerParam(
  query: URLSearchParams,
  name: string,
  min: number,
): number | undefined {
  const value = query.get(name);
  if (value === null || value === "") return undefined;
  const n = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw badRequest(`query parameter ${name}: ${JSON.stringify(value)} is not an integer`);
  }
  if (n < min) throw badRequest(`query parameter ${name}: must be greater than or equal to ${min}`);
  return n;
}
