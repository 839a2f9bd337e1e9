import type { TerminalSizeSource } from "../../lib/spdy/remote-command-client.js";

/** The local end of a remote terminal session: raw input, and the size to send. */
export interface LocalTerminal {
  /** Undefined when stdout is not a terminal: the remote keeps its default size. */
  size?: TerminalSizeSource;
  /** Puts the terminal back as it was. */
  restore(): void;
}

/**
 * With a remote tty and our stdin a terminal that is being sent, keystrokes go through raw
 * (Ctrl-C reaches the remote shell, not us), as kubectl and crictl do; the size comes from
 * stdout and follows its SIGWINCH resizes.
 */
export function localTerminal(
  options: { tty: boolean; interactive: boolean },
  stdin: NodeJS.ReadStream = process.stdin,
  stdout: NodeJS.WriteStream = process.stdout,
): LocalTerminal {
  if (!options.tty) return { restore: () => undefined };
  const raw = options.interactive && stdin.isTTY === true;
  const restore = () => {
    if (raw && stdin.isRaw) stdin.setRawMode(false);
  };
  if (raw) {
    stdin.setRawMode(true);
    process.once("exit", restore);
  }
  const size: TerminalSizeSource | undefined = stdout.isTTY
    ? {
        current: () => ({ width: stdout.columns, height: stdout.rows }),
        watch(onChange) {
          // Node refreshes columns/rows on SIGWINCH, then emits "resize".
          stdout.on("resize", onChange);
          return () => stdout.off("resize", onChange);
        },
      }
    : undefined;
  return {
    size,
    restore() {
      restore();
      process.off("exit", restore);
    },
  };
}
