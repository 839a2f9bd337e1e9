import { promises as fs } from "node:fs";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { errnoCode, failedPrecondition, internal } from "../../../lib/errors.js";
import type { RuntimeDeps } from "../runtime-deps.js";
import { connectAttachSocket } from "./attach-socket-client.js";
import { resizeTerminal } from "./conmon-resize.js";
import type { TerminalSize } from "./terminal-size.js";

export interface AttachStream {
  /** Input for the container's stdin; present when asked for. */
  stdin?: Writable;
  stdout: Readable;
  /** Empty for a TTY container: a terminal has one output. */
  stderr: Readable;
  resize(size: TerminalSize): Promise<void>;
  /** Resolves when the container's output ends (it exited); rejects when attaching failed. */
  ended: Promise<void>;
  /** Leaves the container running and stops relaying. */
  detach(): void;
}

/**
 * Attaches to a running container's stdio through conmon's attach socket: output from now on,
 * and input to its stdin when `stdin` is set. conmon closes the container's stdin when the
 * client that sent input half-closes or detaches (unless it was started with
 * --leave-stdin-open), which is kubelet's stdinOnce behaviour.
 */
export async function attachContainer(
  deps: Pick<RuntimeDeps, "paths">,
  containerId: string,
  options: { stdin: boolean },
): Promise<AttachStream> {
  const socketDir = path.join(deps.paths.conmonSockets, containerId);
  try {
    await fs.access(path.join(socketDir, "attach"));
  } catch (err) {
    if (errnoCode(err) !== "ENOENT") throw err;
    throw failedPrecondition(`container ${containerId} has no attach socket`, {
      field: "container_id",
    });
  }
  const client = connectAttachSocket(socketDir, { input: options.stdin });
  let complaint = "";
  client.errors.on("data", (b: Buffer) => (complaint += b.toString()));
  let detached = false;
  const ended = new Promise<void>((resolve, reject) => {
    client.child.on("error", (err) => reject(internal(`attach: ${err.message}`, { cause: err })));
    client.child.on("close", (code) => {
      if (code === 0 || detached) resolve();
      else reject(internal(`attach to ${containerId}: ${complaint.trim() || `exit ${code}`}`));
    });
  });
  ended.catch(() => undefined);
  return {
    stdin: client.input,
    stdout: client.stdout,
    stderr: client.stderr,
    resize: (size) => resizeTerminal(deps.paths.bundle(containerId), size),
    ended,
    detach() {
      detached = true;
      if (client.child.exitCode === null) client.child.kill("SIGTERM");
    },
  };
}
