import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import { constants } from "node:os";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { internal, invalidArgument } from "../../../lib/errors.js";
import type { RuntimeDeps } from "../runtime-deps.js";
import { spawnInPty } from "./pty-helper.js";
import type { TerminalSize } from "./terminal-size.js";

export interface ExecStreamOptions {
  cmd: string[];
  /** Whether the caller sends input; without it the command's stdin is /dev/null. */
  stdin: boolean;
  /** A terminal for the command: its output then arrives on stdout only. */
  tty: boolean;
  /** The terminal's first size. */
  size?: TerminalSize;
}

/** A command running in a container, with its stdio as streams. */
export interface ExecStream {
  stdin?: Writable;
  stdout: Readable;
  /** Absent with a TTY: a terminal has one output. */
  stderr?: Readable;
  resize(size: TerminalSize): void;
  /** The command's exit code (128 + n when signal n ended it); rejects when it could not run. */
  exited: Promise<number>;
  /** Kills the command inside the container (by pid, not only the runtime client). */
  kill(): Promise<void>;
}

/**
 * Runs a command in a running container with the container's process settings, through `runc
 * exec`. Without a TTY runc relays pipes; with one, runc runs inside a host pseudo-terminal (see
 * pty-helper) and, as any interactive `runc exec -t`, takes the container's console itself and
 * relays it to that terminal, following its size.
 */
export async function execStream(
  deps: Pick<RuntimeDeps, "paths" | "runc">,
  containerId: string,
  options: ExecStreamOptions,
): Promise<ExecStream> {
  if (options.cmd.length === 0)
    throw invalidArgument("command must not be empty", { field: "command" });
  const bundle = deps.paths.bundle(containerId);
  const spec = JSON.parse(await fs.readFile(path.join(bundle, "config.json"), "utf8")) as {
    process: Record<string, unknown>;
  };
  const tag = `exec-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const processFile = path.join(bundle, `${tag}.json`);
  const pidFile = path.join(bundle, `${tag}.pid`);
  await fs.writeFile(
    processFile,
    JSON.stringify({ ...spec.process, args: options.cmd, terminal: options.tty }),
  );
  const args = ["--root", deps.runc.root, "exec", "--process", processFile, "--pid-file", pidFile];
  const started = options.tty
    ? startOnTerminal([deps.runc.binary, ...args, containerId], options)
    : startWithPipes(deps.runc.binary, [...args, containerId], options);
  const { child } = started;
  const exited = waitForExit(child, started.helperErrors).finally(() =>
    Promise.all([fs.rm(processFile, { force: true }), fs.rm(pidFile, { force: true })]),
  );
  exited.catch(() => undefined);
  return {
    stdin: started.stdin,
    stdout: started.stdout,
    stderr: started.stderr,
    resize: started.resize,
    exited,
    async kill() {
      await killByPidFile(pidFile);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

type Started = Omit<ExecStream, "exited" | "kill"> & {
  child: ChildProcess;
  helperErrors?: Readable;
};

/** runc relays the command's stdio through pipes. */
function startWithPipes(runc: string, args: string[], options: ExecStreamOptions): Started {
  const child = spawn(runc, args, { stdio: [options.stdin ? "pipe" : "ignore", "pipe", "pipe"] });
  child.stdin?.on("error", () => undefined);
  return {
    child,
    stdin: child.stdin ?? undefined,
    stdout: child.stdout!,
    stderr: child.stderr!,
    resize: () => undefined,
  };
}

/** runc, on a host terminal, takes the container's console and relays it to that terminal. */
function startOnTerminal(command: string[], options: ExecStreamOptions): Started {
  const pty = spawnInPty(command, { size: options.size, input: options.stdin });
  return {
    child: pty.child,
    helperErrors: pty.errors,
    stdin: pty.input,
    stdout: pty.output,
    resize: (size) => pty.resize(size),
  };
}

/**
 * The exit code; with a TTY, a failure of the helper itself (no command started: no output and
 * a message on its stderr with status 255, Perl's `die`) is an error rather than an exit code.
 */
function waitForExit(child: ChildProcess, helperErrors?: Readable): Promise<number> {
  let complaint = "";
  helperErrors?.on("data", (b: Buffer) => (complaint += b.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", (err) => reject(internal(`exec: ${err.message}`, { cause: err })));
    child.on("close", (code, signal) => {
      if (helperErrors && code === 255 && complaint) {
        reject(internal(`exec: ${complaint.trim()}`));
        return;
      }
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

async function killByPidFile(pidFile: string): Promise<void> {
  const pid = Number.parseInt(await fs.readFile(pidFile, "utf8").catch(() => ""), 10);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}
