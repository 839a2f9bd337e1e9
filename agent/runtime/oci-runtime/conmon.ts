import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import { internal } from "../../../lib/errors.js";

export interface ConmonCreate {
  id: string;
  name: string;
  bundle: string;
  /** CRI log file; undefined for no log. */
  logPath?: string;
  exitDir: string;
  persistDir: string;
  socketDir: string;
  runtime: string;
  runtimeRoot: string;
  stdin: boolean;
  /** Without it, stdin stays open for the next attach when a client leaves (CRI stdin_once). */
  stdinOnce: boolean;
  tty: boolean;
}

const createTimeoutMs = 60_000;

/**
 * Creates a container through conmon, which runs `runc create` and then stays as the container's
 * monitor: it holds stdio, writes the CRI log and the exit file, and outlives the agent. conmon
 * daemonizes and its parent exits 0 even when create fails, so the outcome comes through the sync
 * pipe: `{"data": <pid>}`, or a negative value and a message. Resolves with the container's pid.
 */
export async function conmonCreate(binary: string, c: ConmonCreate): Promise<number> {
  await fs.mkdir(c.persistDir, { recursive: true });
  const args = [
    "--api-version",
    "1",
    "-c",
    c.id,
    "-u",
    c.id,
    "-n",
    c.name,
    "-r",
    c.runtime,
    "-b",
    c.bundle,
    "-p",
    `${c.persistDir}/pid`,
    "-P",
    `${c.persistDir}/conmon.pid`,
    "-l",
    c.logPath ? `k8s-file:${c.logPath}` : "none:",
    "--exit-dir",
    c.exitDir,
    "-0",
    c.persistDir,
    "--socket-dir-path",
    c.socketDir,
    "--runtime-arg",
    `--root=${c.runtimeRoot}`,
    "--log-level",
    "error",
    ...(c.stdin ? ["-i"] : []),
    ...(c.stdin && !c.stdinOnce ? ["--leave-stdin-open"] : []),
    ...(c.tty ? ["-t"] : []),
  ];
  // fd 3 of conmon is the write end of the sync pipe; we read what it writes on our side.
  const child = spawn(binary, args, {
    // conmon writes an "oom" marker into its working directory: keep it in the bundle.
    cwd: c.bundle,
    stdio: ["ignore", "ignore", "pipe", "pipe"],
    env: { ...process.env, _OCI_SYNCPIPE: "3" },
    detached: true,
  });
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => (stderr += b.toString()));
  const sync = child.stdio[3] as NodeJS.ReadableStream & { destroy(): void };
  let data = "";
  // The daemonized conmon keeps the pipe open: the answer is the first complete line, not EOF.
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(internal(`conmon: no answer within ${createTimeoutMs} ms: ${stderr.trim()}`)),
      createTimeoutMs,
    );
    const done = (text: string | Error) => {
      clearTimeout(timer);
      if (text instanceof Error) reject(text);
      else resolve(text);
    };
    sync.on("data", (b: Buffer) => {
      data += b.toString();
      const complete = data.split("\n").find((l) => l.includes('"data"') && l.trim().endsWith("}"));
      if (complete) done(complete);
    });
    sync.on("end", () => done(internal(`conmon gave no result: ${stderr.trim() || data.trim()}`)));
    child.on("error", (err) => done(internal(`conmon: ${err.message}`, { cause: err })));
  }).finally(() => {
    sync.destroy();
    child.stderr?.destroy();
    child.unref();
  });
  const parsed = JSON.parse(line) as { data: number; message?: string };
  if (parsed.data < 0) {
    throw internal(`creating container ${c.id} failed: ${parsed.message ?? stderr.trim()}`);
  }
  return parsed.data;
}
