import { invalidArgument } from "../../lib/errors.js";

/**
 * The reference tokens of an RFC 6901 JSON pointer: "" is the whole document, "/a~1b/0" is
 * ["a/b", "0"]. "~1" is decoded before "~0" so "~01" stays the literal "~1".
 */
export function parseJsonPointer(pointer: string, field = "path"): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) {
    throw invalidArgument(`${field}: JSON pointer ${JSON.stringify(pointer)} must start with "/"`, {
      field,
    });
  }
  return pointer
    .slice(1)
    .split("/")
    .map((token) => {
      if (/~(?![01])/.test(token)) {
        throw invalidArgument(
          `${field}: JSON pointer ${JSON.stringify(pointer)} has an invalid escape (only ~0 and ~1 are allowed)`,
          { field },
        );
      }
      return token.replace(/~1/g, "/").replace(/~0/g, "~");
    });
}

export function formatJsonPointer(tokens: readonly string[]): string {
  return tokens.map((token) => "/" + token.replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/** An array index token: "0" or digits without a leading zero; anything else is not an index. */
export function parseArrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}
