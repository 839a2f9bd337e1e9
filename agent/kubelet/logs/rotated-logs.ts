import path from "node:path";
import type { LogFs } from "./log-fs.js";

// <log>.<stamp>, compressed <log>.<stamp>.gz, while being compressed <log>.<stamp>.tmp.
const rotatedName = /^(.+)\.(\d{8}-\d{6})(\.gz)?(\.tmp)?$/;

/** kubelet's rotated-log suffix: the local time in Go's layout "20060102-150405". */
export function rotationTimestamp(now: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-` +
    `${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`
  );
}

/** Where a log is renamed to when it is rotated at `now`. */
export function rotatedLogPath(log: string, now: Date): string {
  return `${log}.${rotationTimestamp(now)}`;
}

/** The log a rotated file (or a leftover of compressing one) came from: "0.log" for "0.log.20240102-030405.gz". */
export function rotatedFrom(name: string): string | undefined {
  return rotatedName.exec(name)?.[1];
}

export interface RotatedLogs {
  /** The rotated files of the log, oldest first: plain and gzip-compressed. */
  kept: string[];
  /**
   * What an interrupted compression left: its temporary file, or the original beside a finished
   * `.gz`. Nothing else next to the log is touched (conmon's own `<log>.tmp` among others).
   */
  leftovers: string[];
}

/** The files rotating `log` made, sorted by their timestamps. */
export async function listRotatedLogs(fs: LogFs, log: string): Promise<RotatedLogs> {
  const dir = path.dirname(log);
  const base = path.basename(log);
  const names = new Set(await fs.list(dir));
  const kept: string[] = [];
  const leftovers: string[] = [];
  for (const name of names) {
    const match = rotatedName.exec(name);
    if (!match || match[1] !== base) continue;
    const [, , , gz, tmp] = match;
    const finished = !gz && !tmp && names.has(`${name}.gz`);
    (tmp || finished ? leftovers : kept).push(path.join(dir, name));
  }
  return { kept: kept.sort(), leftovers: leftovers.sort() };
}
