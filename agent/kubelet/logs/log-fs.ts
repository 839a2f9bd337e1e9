import { createReadStream, createWriteStream, promises as fs } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { errnoCode } from "../../../lib/errors.js";

/** The file operations log rotation needs; tests pass one that fails on cue. */
export interface LogFs {
  /** The file's size in bytes; undefined when there is none. */
  size(file: string): Promise<number | undefined>;
  /** The names in a directory; [] when it does not exist. */
  list(dir: string): Promise<string[]>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; one already gone is no error. */
  remove(file: string): Promise<void>;
  /** Writes `from` gzip-compressed to `to` (created, or truncated), with `from`'s mode. */
  gzip(from: string, to: string): Promise<void>;
}

export const nodeLogFs: LogFs = {
  async size(file) {
    try {
      return (await fs.stat(file)).size;
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return undefined;
      throw err;
    }
  },
  async list(dir) {
    try {
      return await fs.readdir(dir);
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return [];
      throw err;
    }
  },
  rename: (from, to) => fs.rename(from, to),
  remove: (file) => fs.rm(file, { force: true }),
  async gzip(from, to) {
    const { mode } = await fs.stat(from);
    await pipeline(
      createReadStream(from),
      createGzip(),
      createWriteStream(to, { mode: mode & 0o777 }),
    );
  },
};
