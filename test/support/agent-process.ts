import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** bin/berth of this checkout, found from the compiled file (dist/test/support/). */
export const berthBin = fileURLToPath(new URL("../../../bin/berth", import.meta.url));

export interface AgentProcess {
  child: ChildProcess;
  socket: string;
  stderr: () => string;
  /** Sends SIGTERM and resolves with the exit code once the process is gone. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash would: nothing is cleaned up. */
  kill(): Promise<void>;
}

/** Starts `berth agent` on an isolated root and run dir; resolves once its socket exists. */
export async function startAgentProcess(
  base: string,
  extraArgs: string[] = [],
): Promise<AgentProcess> {
  const socket = path.join(base, "run", "berth.sock");
  const child = spawn(
    berthBin,
    [
      "agent",
      "--root",
      path.join(base, "root"),
      "--run-dir",
      path.join(base, "run"),
      "--cri-socket",
      socket,
      // Never the host's /etc/cni/net.d: each test agent has its own network configs.
      "--cni-conf-dir",
      path.join(base, "cni", "net.d"),
      ...extraArgs,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const deadline = Date.now() + 15_000;
  while (!(existsSync(socket) && stderr.includes("serving CRI"))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`berth agent did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    child,
    socket,
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
