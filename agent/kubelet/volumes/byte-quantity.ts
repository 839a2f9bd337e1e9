import { invalidArgument } from "../../../lib/errors.js";

const binary: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const decimal: Record<string, number> = { m: -1, "": 0, k: 1, M: 2, G: 3, T: 4, P: 5, E: 6 };
const grammar =
  /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/**
 * A Kubernetes quantity ("1Gi", "500M", "1.5e9", "100m") in whole bytes, rounded up as
 * Quantity.Value() does. Exact for sizes below 2^53 bytes, which covers any memory size.
 */
export function quantityBytes(raw: unknown, field: string): number {
  const text = typeof raw === "number" ? String(raw) : raw;
  const m = typeof text === "string" ? grammar.exec(text.trim()) : null;
  if (!m) throw invalidArgument(`${JSON.stringify(raw)} is not a valid quantity`, { field });
  const [, sign, number, suffix = "", exponent] = m;
  if (sign === "-") throw invalidArgument(`${text} must not be negative`, { field });
  const [whole, fraction = ""] = number.split(".");
  let value = BigInt(`${whole || "0"}${fraction}`);
  let scale10 = -fraction.length;
  if (exponent !== undefined) scale10 += Number(exponent);
  else if (suffix in binary) value *= 1024n ** BigInt(binary[suffix]);
  else scale10 += 3 * decimal[suffix];
  if (scale10 >= 0) return Number(value * 10n ** BigInt(scale10));
  const divisor = 10n ** BigInt(-scale10);
  return Number((value + divisor - 1n) / divisor);
}
