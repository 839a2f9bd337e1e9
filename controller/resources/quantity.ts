import { invalidArgument } from "../../lib/errors.js";
import type { FieldCause } from "./kube-object.js";
import { invalid } from "./validation/field-causes.js";

// Kubernetes resource.Quantity: the grammar, exact values and the canonical text the API server
// writes back ("0.5" → "500m", "2048Mi" → "2Gi", "1000" → "1k").

export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

/** An exact quantity: unscaled × 10^exponent10, in the format its suffix chose. */
export interface Quantity {
  unscaled: bigint;
  exponent10: number;
  format: QuantityFormat;
}

export const quantityFormatError =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const suffixError = "unable to parse quantity's suffix";
const numericError = "unable to parse numeric part of quantity";

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

/** The quantity a string (or, as YAML numbers arrive, a number) denotes, or why it is not one. */
export function readQuantity(value: unknown): Quantity | { error: string } {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value : "";
  if (typeof value !== "number" && typeof value !== "string") return { error: quantityFormatError };
  const parts = splitQuantity(text.trim());
  if ("error" in parts) return parts;
  const suffix = interpretSuffix(parts.suffix);
  if (!suffix) return { error: suffixError };
  let unscaled = BigInt(`${parts.whole}${parts.fraction}` || "0");
  let exponent10 = -parts.fraction.length;
  if (suffix.base === 10) exponent10 += suffix.exponent;
  else unscaled *= 1n << BigInt(suffix.exponent);
  // Kubernetes rounds any non-zero amount up to whole nano units, away from zero.
  if (exponent10 < -9) {
    const divisor = 10n ** BigInt(-9 - exponent10);
    unscaled = (unscaled + divisor - 1n) / divisor;
    exponent10 = -9;
  }
  if (!parts.positive) unscaled = -unscaled;
  let format = suffix.format;
  if (format === "BinarySI" && !isWholeOrZero(unscaled, exponent10)) format = "DecimalSI";
  return { unscaled, exponent10, format };
}

/** A quantity as a JS number ("100m" → 0.1, "1.5Gi" → 1610612736); throws on bad text. */
export function parseQuantity(text: string): number {
  const q = readQuantity(text);
  if ("error" in q) throw invalidArgument(`quantity ${JSON.stringify(text)}: ${q.error}`);
  return quantityToNumber(q);
}

export function quantityToNumber(q: Quantity): number {
  return Number(`${q.unscaled}e${q.exponent10}`);
}

/** A cause when value is not a quantity, worded as Kubernetes' decoder words it. */
export function validateQuantity(value: unknown, field: string): FieldCause[] {
  const q = readQuantity(value);
  return "error" in q ? [invalid(field, value, q.error)] : [];
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const exp = Math.min(a.exponent10, b.exponent10);
  const av = a.unscaled * 10n ** BigInt(a.exponent10 - exp);
  const bv = b.unscaled * 10n ** BigInt(b.exponent10 - exp);
  return av < bv ? -1 : av > bv ? 1 : 0;
}

/** The text the API server stores for a quantity, or undefined when value is not one. */
export function canonicalQuantity(value: unknown): string | undefined {
  const q = readQuantity(value);
  return "error" in q ? undefined : formatQuantity(q);
}

export function formatQuantity(q: Quantity): string {
  if (q.unscaled === 0n) return "0";
  const sign = q.unscaled < 0n ? "-" : "";
  const magnitude = q.unscaled < 0n ? -q.unscaled : q.unscaled;
  if (q.format === "BinarySI") {
    const scale = 10n ** BigInt(Math.abs(q.exponent10));
    const exact = q.exponent10 >= 0 || magnitude % scale === 0n;
    const whole = q.exponent10 >= 0 ? magnitude * scale : magnitude / scale;
    // Kubernetes shows small or fractional binary amounts in decimal rather than round them.
    if (exact && whole >= 1024n) return sign + formatBinary(whole);
  }
  return sign + formatDecimal(magnitude, q.exponent10, q.format);
}

function formatBinary(whole: bigint): string {
  let value = whole;
  let power = 0;
  while (power < 6 && value % 1024n === 0n) {
    value /= 1024n;
    power++;
  }
  const suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][power];
  return `${value}${suffix}`;
}

function formatDecimal(magnitude: bigint, exponent10: number, format: QuantityFormat): string {
  let value = magnitude;
  let exponent = exponent10;
  while (value % 10n === 0n) {
    value /= 10n;
    exponent++;
  }
  const remainder = ((exponent % 3) + 3) % 3;
  value *= 10n ** BigInt(remainder);
  exponent -= remainder;
  if (format === "DecimalExponent") return exponent === 0 ? `${value}` : `${value}e${exponent}`;
  const suffix = Object.entries(decimalSuffixes).find(([, e]) => e === exponent)?.[0];
  return suffix === undefined ? `${value}e${exponent}` : `${value}${suffix}`;
}

function isWholeOrZero(unscaled: bigint, exponent10: number): boolean {
  if (exponent10 >= 0 || unscaled === 0n) return true;
  const magnitude = unscaled < 0n ? -unscaled : unscaled;
  // Under 1 (0.5Ki is not whole bytes) shows as DecimalSI.
  return magnitude % 10n ** BigInt(-exponent10) === 0n;
}

interface QuantityParts {
  positive: boolean;
  whole: string;
  fraction: string;
  suffix: string;
}

// Mirrors resource.parseQuantityString: sign, digits, optional fraction, then a suffix made of
// suffix letters and an optional signed integer.
function splitQuantity(text: string): QuantityParts | { error: string } {
  if (text.length === 0) return { error: quantityFormatError };
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(text);
  if (!m) return { error: quantityFormatError };
  const [, sign, whole, fraction = "", rest] = m;
  if (!/^[eEinumkKMGTP]*[-+]?[0-9]*$/.test(rest)) return { error: quantityFormatError };
  if (whole === "" && fraction === "") return { error: numericError };
  return { positive: sign !== "-", whole, fraction, suffix: rest };
}

function interpretSuffix(
  suffix: string,
): { base: 2 | 10; exponent: number; format: QuantityFormat } | undefined {
  if (suffix in decimalSuffixes) {
    return { base: 10, exponent: decimalSuffixes[suffix], format: "DecimalSI" };
  }
  if (suffix in binarySuffixes) {
    return { base: 2, exponent: binarySuffixes[suffix], format: "BinarySI" };
  }
  if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    return { base: 10, exponent: Number(suffix.slice(1)), format: "DecimalExponent" };
  }
  return undefined;
}
