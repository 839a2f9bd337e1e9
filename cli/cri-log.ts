import { promises as fs } from "node:fs";
import { notFound } from "../lib/errors.js";

const entry = /^(\S+) (stdout|stderr) (F|P) (.*)$/;

interface LogLine {
  stream: "stdout" | "stderr";
  text: string;
}

/**
 * Prints a CRI-format log: each stream to its own fd, partial (P) chunks joined with the rest of
 * their line. `tail` counts whole lines, as `kubectl logs --tail` does; 0 prints nothing.
 */
export async function printLog(file: string, tail?: number): Promise<void> {
  const text = await fs.readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") throw notFound(`log file ${file} does not exist (yet)`);
    throw err;
  });
  let lines = logLines(text);
  if (tail !== undefined) lines = tail === 0 ? [] : lines.slice(-tail);
  for (const l of lines) (l.stream === "stdout" ? process.stdout : process.stderr).write(l.text);
}

/** The log's lines in order, each complete line ending in "\n"; a trailing partial one without. */
export function logLines(text: string): LogLine[] {
  const lines: LogLine[] = [];
  const pending = { stdout: "", stderr: "" };
  for (const raw of text.split("\n")) {
    const m = entry.exec(raw);
    if (!m) continue;
    const stream = m[2] as LogLine["stream"];
    if (m[3] === "P") {
      pending[stream] += m[4];
      continue;
    }
    lines.push({ stream, text: `${pending[stream]}${m[4]}\n` });
    pending[stream] = "";
  }
  for (const stream of ["stdout", "stderr"] as const)
    if (pending[stream]) lines.push({ stream, text: pending[stream] });
  return lines;
}
