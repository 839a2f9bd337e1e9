import type { CriLogRecord, LogStream } from "./cri-log-line.js";

/** A line as a reader sees it: the P records of a stream joined up to and with their F record. */
export interface LogLine {
  /** The time of the line's first record. */
  time: string;
  nanos: bigint;
  stream: LogStream;
  content: Buffer;
  /** False for the unfinished end of a stream (P records with no F yet). */
  complete: boolean;
}

/** Joins partial records per stream; stdout and stderr records may interleave. */
export class LineAssembler {
  private readonly pending = new Map<LogStream, CriLogRecord[]>();

  /** The line `record` completes, if it is an F record. */
  add(record: CriLogRecord): LogLine | undefined {
    const parts = this.pending.get(record.stream) ?? [];
    parts.push(record);
    if (record.partial) {
      this.pending.set(record.stream, parts);
      return undefined;
    }
    this.pending.delete(record.stream);
    return join(parts, true);
  }

  /** The unfinished lines, oldest first, and forgets them. */
  drain(): LogLine[] {
    const lines = [...this.pending.values()].map((parts) => join(parts, false));
    this.pending.clear();
    return lines.sort((a, b) => (a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0));
  }
}

function join(parts: CriLogRecord[], complete: boolean): LogLine {
  const first = parts[0]!;
  return {
    time: first.time,
    nanos: first.nanos,
    stream: first.stream,
    content: parts.length === 1 ? first.content : Buffer.concat(parts.map((p) => p.content)),
    complete,
  };
}

/** Splits a chunk into newline-terminated lines, carrying an unterminated tail to the next. */
export class LineSplitter {
  private carry: Buffer = Buffer.alloc(0);
  /** File offset of the first byte of `carry`. */
  private carryOffset: number;

  constructor(startOffset: number) {
    this.carryOffset = startOffset;
  }

  /** Complete lines (without "\n") in `chunk`, each with its file offset. */
  push(chunk: Buffer): { offset: number; line: Buffer }[] {
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const lines: { offset: number; line: Buffer }[] = [];
    let start = 0;
    for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a, start)) {
      lines.push({ offset: this.carryOffset + start, line: data.subarray(start, nl) });
      start = nl + 1;
    }
    this.carryOffset += start;
    this.carry = Buffer.from(data.subarray(start));
    return lines;
  }

  /** The unterminated rest, if any, and forgets it. */
  rest(): { offset: number; line: Buffer } | undefined {
    if (this.carry.length === 0) return undefined;
    const rest = { offset: this.carryOffset, line: this.carry };
    this.carryOffset += this.carry.length;
    this.carry = Buffer.alloc(0);
    return rest;
  }
}
