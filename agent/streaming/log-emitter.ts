import { formatLogTime, type LogStream } from "./cri-log-line.js";
import type { LogLine } from "./log-lines.js";

export type LogStreamSelection = "All" | "Stdout" | "Stderr";

/** What a reader of a container's log asked for (kubectl logs' options). */
export interface LogReadOptions {
  follow: boolean;
  /** The last N lines only. */
  tailLines?: number;
  /** Lines from this instant (Unix nanoseconds) on. */
  sinceNanos?: bigint;
  /** Prefix each line with its RFC 3339 time. */
  timestamps: boolean;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
  stream: LogStreamSelection;
}

export function wantsStream(selection: LogStreamSelection): (stream: LogStream) => boolean {
  if (selection === "Stdout") return (s) => s === "stdout";
  if (selection === "Stderr") return (s) => s === "stderr";
  return () => true;
}

export type LogWrite = (chunk: Buffer) => Promise<void>;

/** Writes lines as asked: stream, since and byte limit applied, time prefixed when wanted. */
export class LogEmitter {
  private remaining: number;
  private readonly wanted: (stream: LogStream) => boolean;

  constructor(
    private readonly options: LogReadOptions,
    private readonly write: LogWrite,
  ) {
    this.remaining = options.limitBytes ?? Number.POSITIVE_INFINITY;
    this.wanted = wantsStream(options.stream);
  }

  /** False once the byte limit is reached: nothing more will be written. */
  get open(): boolean {
    return this.remaining > 0;
  }

  async emit(line: LogLine): Promise<void> {
    if (!this.open || !this.wanted(line.stream)) return;
    if (this.options.sinceNanos !== undefined && line.nanos < this.options.sinceNanos) return;
    const parts: Buffer[] = [];
    if (this.options.timestamps) parts.push(Buffer.from(`${formatLogTime(line.time)} `));
    parts.push(line.content);
    if (line.complete) parts.push(Buffer.from("\n"));
    let out = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    if (out.length > this.remaining) out = out.subarray(0, this.remaining);
    this.remaining -= out.length;
    await this.write(out);
  }
}
