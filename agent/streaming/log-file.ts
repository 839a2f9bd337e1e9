import { promises as fs, watch, type FSWatcher } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import { errnoCode } from "../../lib/errors.js";

const readSize = 64 * 1024;

/**
 * A log file read forward from an open descriptor, so a reader keeps the file it started with
 * when the kubelet rotates the log (renames it and has conmon reopen a new file at the path).
 */
export class LogFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly ino: number,
    public position: number,
  ) {}

  /** The file now at `file`, or undefined when there is none. */
  static async open(file: string): Promise<LogFile | undefined> {
    let handle: FileHandle;
    try {
      handle = await fs.open(file, "r");
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return undefined;
      throw err;
    }
    const { ino } = await handle.stat();
    return new LogFile(file, handle, ino, 0);
  }

  get fileHandle(): FileHandle {
    return this.handle;
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  /** The next bytes after `position`; empty at the end of the file. */
  async read(): Promise<Buffer> {
    const buffer = Buffer.alloc(readSize);
    let { bytesRead } = await this.handle.read(buffer, 0, readSize, this.position);
    if (bytesRead === 0 && (await this.size()) < this.position) {
      // Truncated in place (copytruncate): what is there now is new.
      this.position = 0;
      ({ bytesRead } = await this.handle.read(buffer, 0, readSize, 0));
    }
    this.position += bytesRead;
    return buffer.subarray(0, bytesRead);
  }

  /** A different file now at the path (the log was rotated), opened at its start. */
  async replacement(): Promise<LogFile | undefined> {
    try {
      if ((await fs.stat(this.path)).ino === this.ino) return undefined;
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return undefined;
      throw err;
    }
    return LogFile.open(this.path);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Wakes a follower when something in the log's directory changes, or after `pollMs` anyway. */
export class ChangeWaiter {
  private watcher?: FSWatcher;
  private wake?: () => void;

  constructor(
    file: string,
    private readonly pollMs: number,
  ) {
    try {
      this.watcher = watch(path.dirname(file), { persistent: false }, () => this.wake?.());
      this.watcher.on("error", () => this.watcher?.close());
    } catch {
      // No inotify (or no directory yet): polling alone still works.
    }
  }

  wait(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollMs);
      signal.addEventListener("abort", done);
      this.wake = done;
      if (signal.aborted) done();
    });
  }

  close(): void {
    this.watcher?.close();
  }
}
