import { invalidArgument } from "../../../lib/errors.js";

/**
 * A Kubernetes resource quantity as an exact fraction: numerator / denominator. "1.5Gi" is
 * 3 * 2^30 / 2, "250m" is 250 / 1000. Nothing is rounded until a caller asks for whole units.
 */
export interface Quantity {
  numerator: bigint;
  denominator: bigint;
}

const decimalSuffixes: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const shape = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/;
// Kubernetes' own limit on the exponent keeps "1e999999999" from allocating a huge bigint.
const maxExponent = 1000;

/** Parses "500m", "1.5Gi", "2e3", "+4k"…; junk is an InvalidArgument error naming the field. */
export function parseQuantity(text: string, field = "quantity"): Quantity {
  const bad = (why: string) =>
    invalidArgument(`${field}: quantity ${JSON.stringify(text)} is not valid: ${why}`, { field });
  if (typeof text !== "string") throw bad("not a string");
  const match = shape.exec(text);
  const [, sign, whole, fraction = "", suffix] = match ?? [];
  if (!match || whole + fraction === "") throw bad("it has no number");
  const digits = BigInt(whole + fraction) * (sign === "-" ? -1n : 1n);
  let exp10 = -fraction.length;
  let exp2 = 0;
  if (suffix in decimalSuffixes) exp10 += decimalSuffixes[suffix];
  else if (suffix in binarySuffixes) exp2 = binarySuffixes[suffix];
  else if (/^[eE][+-]?\d+$/.test(suffix)) {
    const exponent = Number(suffix.slice(1));
    if (Math.abs(exponent) > maxExponent) throw bad("its exponent is out of range");
    exp10 += exponent;
  } else throw bad(`unknown suffix ${JSON.stringify(suffix)}`);
  const scale = (e: number) => 10n ** BigInt(Math.abs(e));
  return {
    numerator: digits * (exp10 > 0 ? scale(exp10) : 1n) * 2n ** BigInt(exp2),
    denominator: exp10 < 0 ? scale(exp10) : 1n,
  };
}

/** The smallest integer ≥ n/d (d > 0). */
function ceilDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d > 0n ? q + 1n : q;
}

export const zeroQuantity: Quantity = { numerator: 0n, denominator: 1n };

export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return {
    numerator: a.numerator * b.denominator + b.numerator * a.denominator,
    denominator: a.denominator * b.denominator,
  };
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const diff = a.numerator * b.denominator - b.numerator * a.denominator;
  return diff > 0n ? 1 : diff < 0n ? -1 : 0;
}

/** Whole units, rounded up as Quantity.Value() does: "1.5" → 2, "1Ki" → 1024. */
export function wholeUnits(q: Quantity): bigint {
  return ceilDiv(q.numerator, q.denominator);
}

/** Thousandths, rounded up as Quantity.MilliValue() does: "0.1" → 100, "1u" → 1. */
export function milliUnits(q: Quantity): bigint {
  return ceilDiv(q.numerator * 1000n, q.denominator);
}

export function quantityValue(text: string, field?: string): bigint {
  return wholeUnits(parseQuantity(text, field));
}

export function quantityMilliValue(text: string, field?: string): bigint {
  return milliUnits(parseQuantity(text, field));
}
