import { badRequest } from "../status.js";

/** `dryRun=All`: validate and answer, store nothing. */
export function dryRunParam(query: URLSearchParams): boolean {
  const values = query.getAll("dryRun");
  for (const v of values) {
    if (v !== "All") throw badRequest(`unsupported dryRun value ${JSON.stringify(v)}: only All`);
  }
  return values.length > 0;
}
