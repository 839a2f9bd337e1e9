import { promises as fs } from "node:fs";
import path from "node:path";

/** kubelet's limits: the message file is read up to 4 KiB; the log fallback to 80 lines, 2 KiB. */
const maxMessageBytes = 4096;
const maxLogLines = 80;
const maxLogBytes = 2048;

/** The first 4 KiB of a container's termination-message file; "" when it has none. */
export async function readMessageFile(hostPath: string): Promise<string> {
  return (await readTail(hostPath, maxMessageBytes, "head")).toString("utf8");
}

/**
 * FallbackToLogsOnError: the last 80 lines (2 KiB at most) of the container's CRI log, as text:
 * the "<time> <stream> <P|F> " prefix is dropped and partial lines are joined.
 */
export async function readLogTail(logPath: string): Promise<string> {
  if (!path.isAbsolute(logPath)) return "";
  const raw = (await readTail(logPath, 64 * 1024, "tail")).toString("utf8");
  let text = "";
  for (const line of raw.split("\n")) {
    const m = /^\S+ (?:stdout|stderr) ([PF]) (.*)$/.exec(line);
    if (!m) continue;
    text += m[1] === "P" ? m[2] : `${m[2]}\n`;
  }
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const tail = lines.slice(-maxLogLines).join("\n") + (lines.length > 0 ? "\n" : "");
  const bytes = Buffer.from(tail, "utf8");
  return bytes.length > maxLogBytes
    ? bytes.subarray(bytes.length - maxLogBytes).toString("utf8")
    : tail;
}

/** Up to `limit` bytes from the start or the end of a file; empty when it cannot be read. */
async function readTail(file: string, limit: number, from: "head" | "tail"): Promise<Buffer> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, "r");
    const { size } = await handle.stat();
    const length = Math.min(size, limit);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, from === "head" ? 0 : size - length);
    return buffer;
  } catch {
    // No file (the container never wrote one, or it was removed): no message.
    return Buffer.alloc(0);
  } finally {
    await handle?.close();
  }
}
