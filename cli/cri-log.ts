import { promises as fs } from "node:fs";

const line = /^(\S+) (stdout|stderr) (F|P) (.*)$/;

/** Prints a CRI-format log: each stream to its own fd, partial (P) lines joined with what follows. */
export async function printLog(file: string, tail?: number): Promise<void> {
  const text = await fs.readFile(file, "utf8");
  let lines = text.split("\n").filter((l) => l !== "");
  if (tail !== undefined) lines = lines.slice(-tail);
  for (const l of lines) {
    const m = line.exec(l);
    if (!m) continue;
    const out = m[2] === "stdout" ? process.stdout : process.stderr;
    out.write(m[3] === "F" ? `${m[4]}\n` : m[4]);
  }
}
