import { invalidArgument } from "../../lib/errors.js";

// etcd marks "no bound" with a single zero byte, both as a range's start and as its end.
const unbounded = Buffer.from([0]);

/** A key's bytes (UTF-8). The empty key is etcd's "\0": the lowest key there is. */
export function keyBytes(key: string): Buffer {
  return key === "" ? unbounded : Buffer.from(key, "utf8");
}

/**
 * The end (exclusive) of the range holding every key that starts with `prefix`: the prefix with
 * its last byte below 0xff incremented and what follows dropped ("a/b" → "a/c"; UTF-8 has no 0xff
 * byte, so that is always the last byte). The empty prefix has no upper bound: "\0".
 */
export function prefixRangeEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix, "utf8");
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return unbounded;
}

/** The smallest key after `key`: where the next page of a list starts. */
export function keyAfter(key: string): string {
  return `${key}\x00`;
}

/** A key the store can address: a non-empty string. */
export function checkKey(key: unknown, field = "key"): string {
  if (typeof key !== "string" || key === "") {
    throw invalidArgument(`${field} must be a non-empty string, got ${JSON.stringify(key)}`, {
      field,
    });
  }
  return key;
}
