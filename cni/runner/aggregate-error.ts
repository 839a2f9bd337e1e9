import { CniError } from "../spec/errors.js";

/** Several failures of one operation (GC, a DEL chain), reported together. */
export class CniAggregateError extends CniError {
  constructor(
    what: string,
    readonly errors: Error[],
  ) {
    const first = errors[0];
    super(
      first instanceof CniError ? first.code : 100,
      `${what}: ${errors.length} failures`,
      errors.map((e) => e.message).join("; "),
    );
    this.name = "CniAggregateError";
  }
}

/** Nothing for no errors, the error itself for one, an aggregate for several. */
export function combineErrors(what: string, errors: Error[]): Error | undefined {
  if (errors.length === 0) return undefined;
  if (errors.length === 1) return errors[0];
  return new CniAggregateError(what, errors);
}

export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
