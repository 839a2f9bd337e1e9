/**
 * Runs every teardown step in order, even after one fails: a failure is reported and the rest
 * still run, so one broken step cannot leak what the others would have removed.
 */
export async function runTeardown(steps: Array<() => unknown>, label = "teardown"): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      console.error(`${label}: ${(err as Error).message}`);
    }
  }
}
