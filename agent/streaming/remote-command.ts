import { PassThrough, type Readable, type Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { Logger } from "../../lib/logger.js";
import { isTerminalSize, type TerminalSize } from "../runtime/container/terminal-size.js";
import type { RemoteChannels } from "./remote-channels.js";
import { badRequest } from "./kube-status.js";
import { flagParam } from "./query-params.js";
import { errorChannelPayload, type RemoteOutcome } from "./remote-status.js";

export const channels = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4 } as const;

/** Which of a remote command's streams the client wants (exec and attach query parameters). */
export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export function parseStreamOptions(query: URLSearchParams): StreamOptions {
  const tty = flagParam(query, "tty");
  const options = {
    stdin: flagParam(query, "stdin"),
    stdout: flagParam(query, "stdout"),
    // A terminal has one output: kubelet drops stderr with a TTY too.
    stderr: flagParam(query, "stderr") && !tty,
    tty,
  };
  if (!options.stdin && !options.stdout && !options.stderr) {
    throw badRequest("you must specify at least 1 of stdin, stdout, stderr");
  }
  return options;
}

/** An exec'd command or an attachment, as the session drives it. */
export interface RemoteProcess {
  stdin?: Writable;
  stdout: Readable;
  stderr?: Readable;
  resize(size: TerminalSize): void | Promise<void>;
  /** The exit code of a command; undefined when an attachment's output ended. */
  finished: Promise<number | undefined>;
  /** Called when the client went away first. */
  stop(): void | Promise<void>;
}

/**
 * Runs one exec or attach over a channel socket, as kubelet does: an empty frame on the first
 * output channel says the stream is up; stdin (0) and resize (4) frames feed the process, even
 * those that arrive before it started; stdout (1) and stderr (2) carry its output; the outcome
 * goes on the error channel (3); then the socket closes. A client leaving stops the process.
 */
export async function runRemoteCommand(
  socket: RemoteChannels,
  options: StreamOptions,
  start: (size: TerminalSize | undefined) => Promise<RemoteProcess>,
  logger: Logger,
): Promise<void> {
  const input = new PassThrough();
  let size: TerminalSize | undefined;
  let process: RemoteProcess | undefined;
  // One at a time: two resizes in flight can reach the terminal in the wrong order (kubectl
  // attach sends size+1 then the size, to make the program redraw).
  let resizing: Promise<unknown> = Promise.resolve();
  const resize = (next: TerminalSize) => {
    size = next;
    resizing = resizing
      .then(() => process?.resize(next))
      .catch((err: unknown) => logger.warn("terminal resize failed", { error: String(err) }));
  };
  socket.onFrame((frame) => {
    if (frame.kind === "close" && frame.channel === channels.stdin) input.end();
    if (frame.kind !== "data") return;
    if (frame.channel === channels.stdin && options.stdin && !input.writableEnded) {
      input.write(frame.data);
    } else if (frame.channel === channels.resize && options.tty) {
      const next = parseResize(frame.data);
      if (next) resize(next);
    }
  });
  const first = options.stdout
    ? channels.stdout
    : options.stderr
      ? channels.stderr
      : channels.error;
  await socket.send(first, Buffer.alloc(0));

  let outcome: RemoteOutcome;
  const sizeAtStart = size;
  try {
    process = await start(size);
  } catch (err) {
    await finish(socket, { error: err instanceof Error ? err.message : String(err) });
    return;
  }
  // The client's first size often arrives while the process is being started.
  if (size && size !== sizeAtStart) resize(size);
  const running = process;
  if (running.stdin) input.pipe(running.stdin);
  else input.resume();
  const relays = [
    options.stdout ? socket.relay(running.stdout, channels.stdout) : drain(running.stdout),
    running.stderr && options.stderr
      ? socket.relay(running.stderr, channels.stderr)
      : drain(running.stderr),
  ];
  void socket.closed
    .then(() => running.stop())
    .catch((err: unknown) =>
      logger.warn("stopping a remote command failed", { error: String(err) }),
    );
  try {
    outcome = { exitCode: (await running.finished) ?? 0 };
  } catch (err) {
    outcome = { error: err instanceof Error ? err.message : String(err) };
  }
  await Promise.all(relays);
  input.destroy();
  await finish(socket, outcome);
}

async function finish(socket: RemoteChannels, outcome: RemoteOutcome): Promise<void> {
  const payload = errorChannelPayload(socket.version, outcome);
  if (payload) await socket.send(channels.error, payload);
  socket.close();
}

function drain(source: Readable | undefined): Promise<void> {
  if (!source) return Promise.resolve();
  source.resume();
  return finished(source).catch(() => undefined);
}

/** A resize frame: `{"Width":80,"Height":24}`; undefined (ignored) when malformed. */
function parseResize(data: Buffer): TerminalSize | undefined {
  try {
    const parsed = JSON.parse(data.toString("utf8")) as { Width?: unknown; Height?: unknown };
    const size = { width: parsed.Width, height: parsed.Height };
    return isTerminalSize(size) ? size : undefined;
  } catch {
    return undefined;
  }
}
