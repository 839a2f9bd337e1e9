import { promises as fs } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

/** One CRI log record: "<time> <stream> <P|F> <content>". */
export interface CriRecord {
  time: string;
  stream: string;
  partial: boolean;
  content: string;
}

export function parseCriRecords(text: string): CriRecord[] {
  const records: CriRecord[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const match = /^(\S+) (stdout|stderr) ([PF]) (.*)$/.exec(line);
    if (!match) throw new Error(`not a CRI log line: ${JSON.stringify(line.slice(0, 200))}`);
    records.push({
      time: match[1],
      stream: match[2],
      partial: match[3] === "P",
      content: match[4],
    });
  }
  return records;
}

/** The lines the container wrote: partial records joined to the full one that ends them. */
export function assembleLines(records: CriRecord[]): string[] {
  const lines: string[] = [];
  const pending = new Map<string, string>();
  for (const r of records) {
    const text = (pending.get(r.stream) ?? "") + r.content;
    if (r.partial) pending.set(r.stream, text);
    else {
      pending.delete(r.stream);
      lines.push(text);
    }
  }
  for (const rest of pending.values()) lines.push(rest);
  return lines;
}

/** A log file's text, gunzipped when it is a `.gz`. */
export async function readLogFile(file: string): Promise<string> {
  const raw = await fs.readFile(file);
  return (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
}

/**
 * The files of one container attempt's log, oldest first: `<n>.log.<stamp>[.gz]` by stamp, then
 * the live `<n>.log`.
 */
export async function attemptLogFiles(dir: string, attempt: number): Promise<string[]> {
  const base = `${attempt}.log`;
  const names = await fs.readdir(dir);
  const rotated = names
    .filter(
      (n) => n.startsWith(`${base}.`) && /^\d{8}-\d{6}(\.gz)?$/.test(n.slice(base.length + 1)),
    )
    .sort();
  return [...rotated, ...(names.includes(base) ? [base] : [])].map((n) => path.join(dir, n));
}
