import type { FileHandle } from "node:fs/promises";
import { parseCriLogLine, type LogStream } from "./cri-log-line.js";

/** Where a reader of the last N lines starts, found by reading the file backwards. */
export interface TailStart {
  /** The first record that belongs to one of the last N lines (or to an unfinished one). */
  readFrom: number;
  /** Lines whose F record lies before this offset are older than the last N: skip them. */
  emitFrom: number;
}

const chunkSize = 64 * 1024;

type StreamState = "idle" | "unfinished" | "collecting" | "done";

/**
 * Finds the start of the last `lines` lines of the streams `wanted` accepts in the first `size`
 * bytes of a CRI log. A line is its F record and the P records of the same stream before it;
 * the scan goes back until every selected line and any unfinished one is whole.
 */
export async function findTailStart(
  file: FileHandle,
  size: number,
  lines: number,
  wanted: (stream: LogStream) => boolean,
): Promise<TailStart> {
  const start: TailStart = { readFrom: size, emitFrom: size };
  if (lines <= 0) return start;
  let needed = lines;
  const state = new Map<LogStream, StreamState>();
  const busy = () => [...state.values()].some((s) => s === "unfinished" || s === "collecting");
  for await (const { offset, line } of linesBackwards(file, size)) {
    const record = parseCriLogLine(line);
    if (!record || !wanted(record.stream)) continue;
    const current = state.get(record.stream) ?? "idle";
    if (record.partial) {
      if (current === "idle") state.set(record.stream, "unfinished");
      if (current !== "done") start.readFrom = offset;
    } else if (needed > 0) {
      needed--;
      state.set(record.stream, "collecting");
      start.readFrom = offset;
      start.emitFrom = offset;
    } else {
      state.set(record.stream, "done");
    }
    if (needed === 0 && !busy()) break;
  }
  // Fewer lines than asked for: all of them.
  return needed > 0 ? { readFrom: 0, emitFrom: 0 } : start;
}

/** The lines of the first `size` bytes, last first, each with its offset. */
async function* linesBackwards(
  file: FileHandle,
  size: number,
): AsyncGenerator<{ offset: number; line: Buffer }> {
  let end = size;
  let carry: Buffer = Buffer.alloc(0);
  // A last line without "\n" is a record still being written: it counts like the others.
  while (end > 0) {
    const begin = Math.max(0, end - chunkSize);
    const chunk = Buffer.alloc(end - begin);
    const { bytesRead } = await file.read(chunk, 0, chunk.length, begin);
    const data = Buffer.concat([chunk.subarray(0, bytesRead), carry]);
    let lineEnd = data.length;
    if (data[lineEnd - 1] === 0x0a && begin + data.length === size) lineEnd--;
    while (lineEnd > 0) {
      const nl = data.lastIndexOf(0x0a, lineEnd - 1);
      if (nl < 0) break;
      yield { offset: begin + nl + 1, line: data.subarray(nl + 1, lineEnd) };
      lineEnd = nl;
    }
    carry = Buffer.from(data.subarray(0, lineEnd));
    end = begin;
  }
  if (carry.length > 0) yield { offset: 0, line: carry };
}
