import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** bin/berth of this checkout, found from the compiled file (dist/test/support/). */
export const berthBin = fileURLToPath(new URL("../../../bin/berth", import.meta.url));

export interface BerthProcess {
  child: ChildProcess;
  stderr: () => string;
  /** Sends SIGTERM and resolves with the exit code once the process is gone. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash would: nothing is cleaned up. */
  kill(): Promise<void>;
}

/**
 * Starts `berth <args>` and resolves once `ready(stderr)` holds; a process that exits or is not
 * ready within `timeoutMs` is killed and reported with its stderr.
 */
export async function startBerthProcess(
  args: string[],
  ready: (stderr: string) => boolean,
  timeoutMs = 20_000,
): Promise<BerthProcess> {
  const child = spawn(berthBin, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const deadline = Date.now() + timeoutMs;
  while (!ready(stderr)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`berth ${args[0]} did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
