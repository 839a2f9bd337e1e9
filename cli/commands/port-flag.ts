import { invalidArgument } from "../../lib/errors.js";

/** A port number flag's value (0 means any free port). */
export function portFlag(text: string, flag: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw invalidArgument(
      `--${flag}: ${JSON.stringify(text)} is not a port number (0: any free one)`,
      {
        field: flag,
      },
    );
  }
  return n;
}
