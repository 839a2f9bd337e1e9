import { invalidArgument } from "../../../lib/errors.js";

/**
 * A CRI int64 (a decimal string with longs=String; "" when unset) as a number. Values beyond
 * 2^53 cannot be written exactly into config.json, so they are refused rather than rounded.
 */
export function int64(value: string | number | null | undefined, field: string): number {
  if (value === undefined || value === null || value === "") return 0;
  const text = String(value).trim();
  if (!/^-?\d+$/.test(text))
    throw invalidArgument(`${field}: ${JSON.stringify(value)} is not an integer`, { field });
  const n = Number(text);
  if (!Number.isSafeInteger(n))
    throw invalidArgument(`${field}: ${text} is out of range`, { field });
  return n;
}

/** A uid or gid: 0 … 2^32-2 (2^32-1 is the kernel's "no id"). */
export function posixId(value: string | number | null | undefined, field: string): number {
  const n = int64(value, field);
  if (n < 0 || n > 0xfffffffe)
    throw invalidArgument(`${field}: ${n} is not a valid uid/gid`, { field });
  return n;
}
