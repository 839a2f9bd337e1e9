export type LogStream = "stdout" | "stderr";

/**
 * One record of a CRI log file: `<RFC3339Nano time> <stdout|stderr> <tags> <content>`, where the
 * first tag is P (partial: the line continues in the stream's next record) or F (full: the line
 * ends here). conmon writes one record per chunk of output, so a long line is several records.
 */
export interface CriLogRecord {
  /** The time as written, e.g. `2024-05-01T10:00:00.123456789+00:00`. */
  time: string;
  /** The same instant in Unix nanoseconds, for comparisons. */
  nanos: bigint;
  stream: LogStream;
  partial: boolean;
  content: Buffer;
}

const space = 0x20;
const timePattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Parses one record (without its newline); undefined when the line is not a CRI record. */
export function parseCriLogLine(line: Buffer): CriLogRecord | undefined {
  const timeEnd = line.indexOf(space);
  if (timeEnd < 0) return undefined;
  const streamEnd = line.indexOf(space, timeEnd + 1);
  if (streamEnd < 0) return undefined;
  const stream = line.toString("latin1", timeEnd + 1, streamEnd);
  if (stream !== "stdout" && stream !== "stderr") return undefined;
  let tagsEnd = line.indexOf(space, streamEnd + 1);
  // A record of an empty line may end right after its tags.
  if (tagsEnd < 0) tagsEnd = line.length;
  const tag = line.toString("latin1", streamEnd + 1, tagsEnd).split(":")[0];
  if (tag !== "P" && tag !== "F") return undefined;
  const time = line.toString("latin1", 0, timeEnd);
  const nanos = parseRfc3339Nanos(time);
  if (nanos === undefined) return undefined;
  return {
    time,
    nanos,
    stream,
    partial: tag === "P",
    content: line.subarray(Math.min(tagsEnd + 1, line.length)),
  };
}

/** An RFC 3339 time with up to nanosecond precision as Unix nanoseconds; undefined if invalid. */
export function parseRfc3339Nanos(text: string): bigint | undefined {
  const match = timePattern.exec(text);
  if (!match) return undefined;
  const millis = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(millis)) return undefined;
  const fraction = BigInt((match[2] ?? "").padEnd(9, "0"));
  return BigInt(millis) * 1_000_000n + fraction;
}

/**
 * A record's time as Kubernetes prints it with `timestamps=true` (Go's RFC3339Nano layout):
 * trailing zeros of the fraction dropped, and a zero offset written `Z`.
 */
export function formatLogTime(time: string): string {
  const match = timePattern.exec(time);
  if (!match) return time;
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  const offset = match[3] === "+00:00" || match[3] === "-00:00" ? "Z" : match[3];
  return `${match[1]}${fraction ? `.${fraction}` : ""}${offset}`;
}
