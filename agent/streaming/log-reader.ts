import { parseCriLogLine } from "./cri-log-line.js";
import { LogEmitter, wantsStream, type LogReadOptions, type LogWrite } from "./log-emitter.js";
import { ChangeWaiter, LogFile } from "./log-file.js";
import { LineAssembler, LineSplitter } from "./log-lines.js";
import { findTailStart } from "./log-tail.js";

export interface LogFollowControl {
  /** Aborted when the reader went away. */
  signal: AbortSignal;
  /** Whether the container still writes to the log: following ends once it does not. */
  isRunning(): Promise<boolean>;
  /** How often a follower looks for new output when nothing woke it; 250 ms by default. */
  pollMs?: number;
}

/**
 * Writes a container's CRI log the way `kubectl logs` asks for it. Following survives log
 * rotation: the old file is read to its end, then the new file at the same path from its
 * start; it ends when the container no longer runs and its output has been read.
 */
export async function readContainerLog(
  file: string,
  options: LogReadOptions,
  write: LogWrite,
  control: LogFollowControl,
): Promise<void> {
  const { signal } = control;
  const emitter = new LogEmitter(options, write);
  const waiter = options.follow ? new ChangeWaiter(file, control.pollMs ?? 250) : undefined;
  let log = await LogFile.open(file);
  // A file that appears later holds only output newer than the request: no tail of it.
  const tailLines = log ? options.tailLines : undefined;
  try {
    while (!log) {
      if (!waiter || signal.aborted || !(await control.isRunning())) return;
      await waiter.wait(signal);
      log = await LogFile.open(file);
    }
    // Offsets from the tail scan mean something in the first file only.
    let skipBefore = 0;
    if (tailLines !== undefined) {
      const wanted = wantsStream(options.stream);
      const tail = await findTailStart(log.fileHandle, await log.size(), tailLines, wanted);
      log.position = tail.readFrom;
      skipBefore = tail.emitFrom;
    }
    const assembler = new LineAssembler();
    let splitter = new LineSplitter(log.position);
    const take = async (lines: { offset: number; line: Buffer }[]) => {
      for (const { offset, line } of lines) {
        const record = parseCriLogLine(line);
        const done = record && assembler.add(record);
        if (done && offset >= skipBefore) await emitter.emit(done);
        if (!emitter.open) return;
      }
    };
    while (emitter.open && !signal.aborted) {
      const chunk = await log.read();
      if (chunk.length > 0) {
        await take(splitter.push(chunk));
        continue;
      }
      if (!waiter) break;
      const next = await log.replacement();
      if (next) {
        // What conmon wrote to the old file between our last read and its reopen: it closed
        // that file before creating the new one, so reading to its end now gets everything.
        for (let tail = await log.read(); tail.length > 0; tail = await log.read()) {
          await take(splitter.push(tail));
          if (!emitter.open) break;
        }
        // conmon writes whole records, so an unterminated end of the old file is one too.
        const rest = splitter.rest();
        if (rest) await take([rest]);
        await log.close();
        log = next;
        splitter = new LineSplitter(0);
        skipBefore = 0;
        continue;
      }
      if (!(await control.isRunning())) {
        // Output written between the last read and the exit is still to come.
        const last = await log.read();
        if (last.length === 0) break;
        await take(splitter.push(last));
        continue;
      }
      await waiter.wait(signal);
    }
    if (emitter.open && !signal.aborted) {
      const rest = splitter.rest();
      if (rest) await take([rest]);
      for (const line of assembler.drain()) await emitter.emit(line);
    }
  } finally {
    waiter?.close();
    await log?.close();
  }
}
