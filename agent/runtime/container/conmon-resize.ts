import { constants, promises as fs } from "node:fs";
import path from "node:path";
import type { TerminalSize } from "./terminal-size.js";

/** conmon's control FIFO message type for "resize the terminal" (its WIN_RESIZE_EVENT). */
const resizeEvent = 1;
/** Time left between two messages to one conmon, so that it reads them one at a time. */
export const resizeSpacingMs = 50;

interface Resizer {
  wanted?: TerminalSize;
  waiting: Array<{ resolve(): void; reject(err: unknown): void }>;
}

const resizers = new Map<string, Resizer>();

/**
 * Asks conmon, through its control FIFO, to resize the container's terminal. conmon 2.1 parses
 * only the first message of each read from that FIFO, so two resizes that arrive together would
 * become the first one twice (kubectl attach sends size+1 then the size, to make the program
 * redraw): messages to one container go out one at a time, spaced, and a size superseded while
 * waiting is skipped — the terminal always ends at the last size asked for. Resolves once a
 * message carrying this size or a later one was written.
 */
export function resizeTerminal(bundle: string, size: TerminalSize): Promise<void> {
  let resizer = resizers.get(bundle);
  const running = resizer !== undefined;
  if (!resizer) {
    resizer = { waiting: [] };
    resizers.set(bundle, resizer);
  }
  resizer.wanted = size;
  const done = new Promise<void>((resolve, reject) => resizer.waiting.push({ resolve, reject }));
  if (!running) void drain(bundle, resizer);
  return done;
}

async function drain(bundle: string, resizer: Resizer): Promise<void> {
  while (resizer.wanted) {
    const size = resizer.wanted;
    const waiting = resizer.waiting.splice(0);
    resizer.wanted = undefined;
    try {
      await writeResize(bundle, size);
      waiting.forEach((w) => w.resolve());
    } catch (err) {
      waiting.forEach((w) => w.reject(err));
    }
    await new Promise((resolve) => setTimeout(resolve, resizeSpacingMs));
  }
  resizers.delete(bundle);
}

async function writeResize(bundle: string, size: TerminalSize): Promise<void> {
  // O_NONBLOCK: never hang on a FIFO whose reader (conmon) is gone.
  const handle = await fs.open(path.join(bundle, "ctl"), constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    await handle.write(`${resizeEvent} ${size.height} ${size.width}\n`);
  } finally {
    await handle.close();
  }
}
