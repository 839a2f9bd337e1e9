import { createRequire } from "node:module";
import path from "node:path";

/**
 * tar-stream decodes PAX records as UTF-8 text, which corrupts binary extended attributes
 * (SCHILY.xattr.security.capability holds raw bytes). This swaps in a decoder that keeps each
 * value's bytes (latin1 round-trips them) and re-reads path and linkpath as UTF-8.
 */
const require = createRequire(import.meta.url);
// The package's export map hides headers.js; load the same file extract.js uses by its path.
const headersFile = path.join(path.dirname(require.resolve("tar-stream")), "headers.js");
const headers = require(headersFile) as {
  decodePax: (buf: Buffer) => Record<string, string>;
  binaryPaxPatched?: boolean;
};

const textKeys = new Set(["path", "linkpath", "uname", "gname"]);

if (!headers.binaryPaxPatched) {
  headers.binaryPaxPatched = true;
  headers.decodePax = (buf: Buffer) => {
    const result: Record<string, string> = {};
    let rest = buf;
    while (rest.length) {
      const space = rest.indexOf(0x20);
      const len = parseInt(rest.subarray(0, space).toString("latin1"), 10);
      if (!len || space < 0 || len > rest.length) return result;
      const record = rest.subarray(space + 1, len - 1);
      const eq = record.indexOf(0x3d);
      if (eq === -1) return result;
      const key = record.subarray(0, eq).toString("utf8");
      const value = record.subarray(eq + 1);
      result[key] = textKeys.has(key) ? value.toString("utf8") : value.toString("latin1");
      rest = rest.subarray(len);
    }
    return result;
  };
}

/** The raw bytes of a PAX value decoded by the patched decoder. */
export function paxBytes(value: string): Buffer {
  return Buffer.from(value, "latin1");
}
