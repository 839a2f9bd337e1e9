import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { berthBin } from "./agent-process.js";

export interface ControllerProcess {
  child: ChildProcess;
  /** https://127.0.0.1:PORT */
  url: string;
  port: number;
  /** <data dir>/admin.kubeconfig, written by the controller. */
  kubeconfig: string;
  stderr: () => string;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
}

/**
 * Starts `berth controller` against `etcd` with its data dir under `base`, on 127.0.0.1 and
 * `port` (0: a free one); resolves once it serves.
 */
export async function startControllerProcess(
  base: string,
  etcd: string,
  options: { port?: number; args?: string[] } = {},
): Promise<ControllerProcess> {
  const dataDir = path.join(base, "controller");
  const child = spawn(
    berthBin,
    [
      "controller",
      "--etcd-servers",
      etcd,
      "--listen",
      `127.0.0.1:${options.port ?? 0}`,
      "--data-dir",
      dataDir,
      ...(options.args ?? []),
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const deadline = Date.now() + 20_000;
  let url: string | undefined;
  while (!url) {
    url = /"url":"(https:\/\/127\.0\.0\.1:\d+)"/.exec(stderr)?.[1];
    if (url) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`berth controller did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    child,
    url,
    port: Number(new URL(url).port),
    kubeconfig: path.join(dataDir, "admin.kubeconfig"),
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
