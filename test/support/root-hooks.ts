import { findLeaks } from "./leak-check.js";

/** Loaded with --require: after every suite has run, fail the run if any test leaked host resources. */
export const mochaHooks = {
  afterAll(): void {
    const leaks = findLeaks();
    if (leaks.length > 0) {
      throw new Error(`leak check: ${leaks.length} leftover(s):\n  ${leaks.join("\n  ")}`);
    }
  },
};
