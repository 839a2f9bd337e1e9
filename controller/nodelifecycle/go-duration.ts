import { invalidArgument } from "../../lib/errors.js";

const unitMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * A duration as Go's time.ParseDuration reads it ("40s", "1m30s", "500ms", "1.5h"), or a bare
 * number of seconds ("40"), in milliseconds. `field` names the flag or option in the error.
 */
export function parseDuration(text: string, field: string): number {
  const trimmed = text.trim();
  const fail = () =>
    invalidArgument(
      `--${field}: ${JSON.stringify(text)} is not a duration (like 40s, 1m30s, 500ms) or a number of seconds`,
      { field },
    );
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  if (trimmed === "") throw fail();
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let ms = 0;
  let at = 0;
  while (at < trimmed.length) {
    part.lastIndex = at;
    const m = part.exec(trimmed);
    if (!m) throw fail();
    ms += Number(m[1]) * unitMs[m[2]];
    at = part.lastIndex;
  }
  return ms;
}
