import { promises as fs } from "node:fs";
import path from "node:path";
import { nodeLogFs, type LogFs } from "../../../../../agent/kubelet/logs/log-fs.js";

/** A clock that moves only when told: starts at 2024-01-02 03:04:05 local time. */
export class TestClock {
  private at = new Date(2024, 0, 2, 3, 4, 5).getTime();
  now = () => new Date(this.at);
  advance(ms: number): void {
    this.at += ms;
  }
}

/**
 * What conmon does on ReopenContainerLog: a new, empty file at the log's path. Records the ids
 * it was asked for; fails while `failing` is set.
 */
export class FakeReopen {
  calls: string[] = [];
  failing?: Error;
  constructor(private readonly logPathOf: (id: string) => string) {}
  reopen = async (id: string): Promise<void> => {
    this.calls.push(id);
    if (this.failing) throw this.failing;
    await fs.writeFile(this.logPathOf(id), "", { flag: "wx" });
  };
}

/** The real file system, with one operation made to fail on cue. */
export function faultyFs(fail: Partial<Record<keyof LogFs, Error>>): LogFs {
  const wrap =
    <K extends keyof LogFs>(key: K) =>
    (...args: Parameters<LogFs[K]>) => {
      const err = fail[key];
      if (err) return Promise.reject(err);
      return (nodeLogFs[key] as (...a: Parameters<LogFs[K]>) => ReturnType<LogFs[K]>)(...args);
    };
  return {
    size: wrap("size"),
    list: wrap("list"),
    rename: wrap("rename"),
    remove: wrap("remove"),
    gzip: wrap("gzip"),
  } as LogFs;
}

/** The names in a directory, sorted. */
export async function namesIn(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).sort();
}

/** Appends CRI log lines "line-<n>" for n in [from, to). */
export async function appendLines(file: string, from: number, to: number): Promise<void> {
  let text = "";
  for (let n = from; n < to; n++) text += `2024-01-02T03:04:05.000000000Z stdout F line-${n}\n`;
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.appendFile(file, text);
}
