import { spawn } from "node:child_process";
import { deadlineExceeded, internal, notFound } from "./errors.js";

export interface RunOptions {
  /** Milliseconds before the child is killed (SIGKILL) and the call fails with DeadlineExceeded. */
  timeoutMs?: number;
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Exit codes that count as success (default [0]). */
  okCodes?: number[];
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const maxCapture = 4 * 1024 * 1024;

/** Runs a program (no shell) and returns its output; a failure's error carries the captured stderr. */
export function run(file: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const { timeoutMs = 60_000, okCodes = [0] } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    child.stdout.on("data", (b: Buffer) => {
      if (outLen < maxCapture) out.push(b);
      outLen += b.length;
    });
    child.stderr.on("data", (b: Buffer) => {
      if (errLen < maxCapture) err.push(b);
      errLen += b.length;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        e.code === "ENOENT"
          ? notFound(`${file}: program not found`, { cause: e })
          : internal(`${file}: ${e.message}`, { cause: e }),
      );
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const result = {
        code: code ?? 128,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      };
      const command = [file, ...args].join(" ");
      if (timedOut) {
        reject(deadlineExceeded(`${command}: timed out after ${timeoutMs} ms`));
      } else if (signal) {
        reject(internal(`${command}: killed by ${signal}: ${result.stderr.trim()}`));
      } else if (!okCodes.includes(result.code)) {
        reject(internal(`${command}: exit ${result.code}: ${result.stderr.trim()}`));
      } else {
        resolve(result);
      }
    });
    child.stdin.on("error", () => {
      // The child may exit without reading its input; its exit status tells what happened.
    });
    child.stdin.end(options.input ?? "");
  });
}
