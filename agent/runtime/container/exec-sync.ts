import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { deadlineExceeded, failedPrecondition, invalidArgument } from "../../../lib/errors.js";
import type { ContainerRecord } from "../records.js";
import type { RuntimeDeps } from "../runtime-deps.js";

export interface ExecResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

/** Output beyond this is dropped, as the kubelet's own limit for probes and `kubectl exec` sync. */
const maxOutput = 16 * 1024 * 1024;

/**
 * Runs a command in a running container with the container's own process settings (user, env,
 * cwd, capabilities), through `runc exec`. On timeout the command is killed by its pid, not only
 * the runc client, so nothing keeps running inside, and the call fails with DeadlineExceeded.
 */
export async function execSync(
  deps: RuntimeDeps,
  record: ContainerRecord,
  cmd: string[],
  timeoutSeconds: number,
): Promise<ExecResult> {
  if (cmd.length === 0) throw invalidArgument("cmd must not be empty", { field: "cmd" });
  if (record.state !== "running") {
    throw failedPrecondition(`container ${record.id} is ${record.state}, not running`, {
      field: "container_id",
    });
  }
  const bundle = deps.paths.bundle(record.id);
  const spec = JSON.parse(await fs.readFile(path.join(bundle, "config.json"), "utf8")) as {
    process: Record<string, unknown>;
  };
  const tag = `exec-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const processFile = path.join(bundle, `${tag}.json`);
  const pidFile = path.join(bundle, `${tag}.pid`);
  await fs.writeFile(processFile, JSON.stringify({ ...spec.process, args: cmd, terminal: false }));
  try {
    return await runExec(deps, record.id, processFile, pidFile, timeoutSeconds);
  } finally {
    await fs.rm(processFile, { force: true });
    await fs.rm(pidFile, { force: true });
  }
}

function runExec(
  deps: RuntimeDeps,
  id: string,
  processFile: string,
  pidFile: string,
  timeoutSeconds: number,
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      deps.runc.binary,
      ["--root", deps.runc.root, "exec", "--process", processFile, "--pid-file", pidFile, id],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const out = capture(child.stdout);
    const err = capture(child.stderr);
    let timedOut = false;
    const timer =
      timeoutSeconds > 0
        ? setTimeout(() => {
            timedOut = true;
            void killExec(pidFile).finally(() => child.kill("SIGKILL"));
          }, timeoutSeconds * 1000)
        : undefined;
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(deadlineExceeded(`command timed out after ${timeoutSeconds}s`));
        return;
      }
      resolve({ stdout: out(), stderr: err(), exitCode: code ?? 128 + (signal ? 9 : 0) });
    });
  });
}

async function killExec(pidFile: string): Promise<void> {
  const pid = Number.parseInt(await fs.readFile(pidFile, "utf8").catch(() => ""), 10);
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

function capture(stream: NodeJS.ReadableStream): () => Buffer {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on("data", (b: Buffer) => {
    if (size >= maxOutput) return;
    chunks.push(b.subarray(0, maxOutput - size));
    size += b.length;
  });
  return () => Buffer.concat(chunks);
}
