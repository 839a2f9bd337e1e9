import { invalidArgument } from "../../../lib/errors.js";
import { readQuantity } from "../../resources/quantity.js";

// The scheduler compares integers as kube-scheduler does: CPU in millicores (Quantity.MilliValue)
// and everything else in whole units (Quantity.Value), both rounded up. Pods of one workload repeat
// the same few strings, so parsed values are remembered by their text.

const cacheLimit = 8192;
const milliCache = new Map<string, number>();
const wholeCache = new Map<string, number>();

/** A CPU amount in whole millicores ("100m" → 100, "1.5" → 1500). */
export function milliValue(raw: unknown, field: string): number {
  return cachedValue(milliCache, raw, 3, field);
}

/** An amount in whole units: bytes for memory and storage, a count for extended resources. */
export function wholeValue(raw: unknown, field: string): number {
  return cachedValue(wholeCache, raw, 0, field);
}

function cachedValue(cache: Map<string, number>, raw: unknown, scale: number, field: string) {
  const text = typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw : undefined;
  if (text === undefined) throw invalidArgument(`${field}: not a quantity`, { field });
  const known = cache.get(text);
  if (known !== undefined) return known;
  const value = scaledValue(text, scale, field);
  if (cache.size >= cacheLimit) cache.clear();
  cache.set(text, value);
  return value;
}

function scaledValue(text: string, scale: number, field: string): number {
  const q = readQuantity(text);
  if ("error" in q) throw invalidArgument(`${field}: ${q.error}`, { field });
  if (q.unscaled < 0n)
    throw invalidArgument(`${field}: must be greater than or equal to 0`, { field });
  const exponent = q.exponent10 + scale;
  if (exponent >= 0) return Number(q.unscaled * 10n ** BigInt(exponent));
  const divisor = 10n ** BigInt(-exponent);
  return Number((q.unscaled + divisor - 1n) / divisor);
}
