import { remoteCommandProtocols, runRemoteCommand } from "../../lib/spdy/remote-command-client.js";
import { dialStreamingUrl } from "./dial-url.js";
import { localTerminal } from "./terminal.js";

export interface SessionFlags {
  /** Send our stdin (-i). */
  interactive: boolean;
  /** Ask for a remote terminal (-t). */
  tty: boolean;
}

/**
 * Runs an exec or attach session from the runtime's URL on this process's stdio, as crictl does;
 * resolves with the remote command's exit code, rejects with the server's message.
 */
export async function runSession(url: string, flags: SessionFlags): Promise<number> {
  const { connection, protocol } = await dialStreamingUrl(url, remoteCommandProtocols);
  const terminal = localTerminal(flags);
  try {
    const { exitCode } = await runRemoteCommand(connection, protocol, {
      stdin: flags.interactive ? process.stdin : undefined,
      stdout: process.stdout,
      stderr: flags.tty ? undefined : process.stderr,
      tty: flags.tty,
      terminalSize: terminal.size,
    });
    return exitCode;
  } finally {
    terminal.restore();
    // Nothing more is sent: let the process exit even if stdin never ends (a terminal).
    if (flags.interactive) process.stdin.pause();
  }
}
