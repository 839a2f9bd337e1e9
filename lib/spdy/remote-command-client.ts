import type { Readable, Writable } from "node:stream";
import type { SpdyConnection, SpdyStream } from "./connection.js";

/** What kubectl and crictl offer for exec and attach over SPDY, preferred first. */
export const remoteCommandProtocols = [
  "v5.channel.k8s.io",
  "v4.channel.k8s.io",
  "v3.channel.k8s.io",
  "v2.channel.k8s.io",
  "channel.k8s.io",
];

export interface TerminalSize {
  width: number;
  height: number;
}

/** The local terminal's size, and when it changes (SIGWINCH). */
export interface TerminalSizeSource {
  /** The size now; undefined when unknown. */
  current(): TerminalSize | undefined;
  /** Calls `onChange` whenever the size may have changed; returns the unsubscribe function. */
  watch?(onChange: () => void): () => void;
}

export interface RemoteCommandOptions {
  /** Sent to the command; its end closes the command's stdin. */
  stdin?: Readable;
  stdout?: Writable;
  /** Not used with a tty: the remote terminal merges stderr into stdout. */
  stderr?: Writable;
  tty?: boolean;
  terminalSize?: TerminalSizeSource;
}

export interface RemoteCommandResult {
  exitCode: number;
}

/** The part of a metav1.Status the error stream carries (v4 and later). */
export interface RemoteStatus {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

/** The command could not run, or the session failed: the server's message, and its Status. */
export class RemoteCommandError extends Error {
  constructor(
    message: string,
    readonly status?: RemoteStatus,
  ) {
    super(message);
    this.name = "RemoteCommandError";
  }
}

/** 5 for "v5.channel.k8s.io", 1 for "channel.k8s.io" and for no negotiated protocol. */
export function remoteCommandVersion(protocol: string): number {
  if (protocol === "" || protocol === "channel.k8s.io") return 1;
  const match = /^v(\d+)\.channel\.k8s\.io$/.exec(protocol);
  if (!match) throw new RemoteCommandError(`unknown remote command protocol ${protocol}`);
  return Number(match[1]);
}

/**
 * Runs an exec or attach session on a dialled connection, as client-go's remotecommand does
 * (streamProtocolV2–V4; v5 over SPDY is v4): opens the error, stdin, stdout, stderr and resize
 * streams one by one, copies stdin (its end closes the command's stdin), stdout and stderr, sends
 * the terminal's sizes, and once the output streams ended reads the outcome from the error
 * stream. Resolves with the command's exit code; rejects with the server's message when the
 * command could not run. Closes the connection when done.
 */
export async function runRemoteCommand(
  connection: SpdyConnection,
  protocol: string,
  options: RemoteCommandOptions,
): Promise<RemoteCommandResult> {
  const cleanups: (() => void)[] = [];
  try {
    const version = remoteCommandVersion(protocol);
    const tty = options.tty ?? false;
    const open = async (streamType: string) => {
      try {
        const stream = await connection.openStream([["streamType", streamType]]);
        // A failed stream ends like a closed one; the error stream's outcome says what happened.
        stream.on("error", () => undefined);
        return stream;
      } catch (err) {
        throw new RemoteCommandError(
          `cannot open the ${streamType} stream: ${(err as Error).message}`,
        );
      }
    };
    const errorStream = await open("error");
    const errorText = readAll(errorStream);
    const remoteStdin = options.stdin ? await open("stdin") : undefined;
    const remoteStdout = options.stdout ? await open("stdout") : undefined;
    const remoteStderr = options.stderr && !tty ? await open("stderr") : undefined;
    const resize = tty && version >= 3 ? await open("resize") : undefined;

    if (resize && options.terminalSize) cleanups.push(sendSizes(resize, options.terminalSize));
    if (remoteStdin && options.stdin) cleanups.push(copyStdin(options.stdin, remoteStdin));
    await Promise.all([
      remoteStdout && options.stdout && copyOut(remoteStdout, options.stdout),
      remoteStderr && options.stderr && copyOut(remoteStderr, options.stderr),
    ]);
    return remoteCommandOutcome(version, await errorText);
  } finally {
    for (const cleanup of cleanups) cleanup();
    connection.close();
  }
}

/** client-go's errorDecoderV4 (and V2/V1 for plain text): the session's outcome. */
export function remoteCommandOutcome(version: number, message: Buffer): RemoteCommandResult {
  if (message.length === 0) {
    // Before v4 success is silence. From v4 on servers always send a Status, so silence means
    // the connection dropped (client-go would call that success).
    if (version < 4) return { exitCode: 0 };
    throw new RemoteCommandError("the connection ended before the command's exit status arrived");
  }
  const text = message.toString("utf8");
  if (version < 4) throw new RemoteCommandError(`error executing remote command: ${text}`);
  let status: RemoteStatus;
  try {
    status = JSON.parse(text) as RemoteStatus;
  } catch (err) {
    throw new RemoteCommandError(
      `error stream protocol error: ${(err as Error).message} in ${JSON.stringify(text)}`,
    );
  }
  if (typeof status !== "object" || status === null) {
    throw new RemoteCommandError(`error stream protocol error: not a Status: ${text}`);
  }
  if (status.status === "Success") return { exitCode: 0 };
  if (status.status !== "Failure") {
    throw new RemoteCommandError("error stream protocol error: unknown error", status);
  }
  if (status.reason === "NonZeroExitCode") {
    const cause = status.details?.causes?.find((c) => c.reason === "ExitCode");
    if (!cause) {
      throw new RemoteCommandError("error stream protocol error: no ExitCode cause given", status);
    }
    const code = /^\d{1,3}$/.test(cause.message ?? "") ? Number(cause.message) : NaN;
    if (!(code <= 255)) {
      throw new RemoteCommandError(
        `error stream protocol error: invalid exit code value ${JSON.stringify(cause.message)}`,
        status,
      );
    }
    return { exitCode: code };
  }
  throw new RemoteCommandError(status.message || "the remote command failed", status);
}

function readAll(stream: SpdyStream): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = () => resolve(Buffer.concat(chunks));
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.once("end", done);
    stream.once("close", done);
  });
}

/**
 * Copies the remote output into `out` (which stays open), with backpressure; resolves once the
 * remote side ended and `out` took the last chunk.
 */
function copyOut(remote: SpdyStream, out: Writable): Promise<void> {
  return new Promise((resolve) => {
    let written: Promise<void> = Promise.resolve();
    remote.on("data", (chunk: Buffer) => {
      written = new Promise((took) => {
        if (!out.write(chunk, () => took())) {
          remote.pause();
          out.once("drain", () => remote.resume());
        }
      });
    });
    const done = () => void written.then(resolve);
    remote.once("end", done);
    remote.once("close", done);
  });
}

/**
 * Pipes stdin to the remote stdin stream; the end of stdin is FIN. When the server ends the
 * stream first (the command's stdin is gone) the copy stops and our side is closed too, as
 * client-go does, so an interactive session ends cleanly. Returns the function that stops it.
 */
function copyStdin(stdin: Readable, remote: SpdyStream): () => void {
  const stop = () => {
    stdin.unpipe(remote);
    stdin.off("error", stop);
    if (!remote.writableEnded) remote.end();
  };
  stdin.once("error", stop);
  // The server writes nothing on stdin; reading lets its FIN arrive.
  remote.on("data", () => undefined);
  remote.once("end", stop);
  if (stdin.readableEnded) remote.end();
  else stdin.pipe(remote);
  return () => {
    stdin.unpipe(remote);
    stdin.off("error", stop);
  };
}

/** Sends the current size, then each change, as client-go's JSON encoder writes them. */
function sendSizes(resize: SpdyStream, source: TerminalSizeSource): () => void {
  let last: TerminalSize | undefined;
  const send = () => {
    const size = source.current();
    if (!size || (last && last.width === size.width && last.height === size.height)) return;
    last = size;
    if (resize.writable)
      resize.write(`${JSON.stringify({ Width: size.width, Height: size.height })}\n`);
  };
  send();
  return source.watch?.(send) ?? (() => undefined);
}
