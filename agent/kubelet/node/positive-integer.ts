import { invalidArgument } from "../../../lib/errors.js";

/** `value` when it is a positive integer, else an InvalidArgument naming `field`. */
export function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw invalidArgument(`${field} must be a positive integer, not ${value}`, { field });
  }
  return value;
}
