import { promises as fs } from "node:fs";
import path from "node:path";
import type { NetConfList } from "../spec/types.js";
import { CniError, cniCode } from "../spec/errors.js";
import { parseConfList } from "./parse-conf-list.js";

const extensions = [".conf", ".conflist", ".json"];

export interface NetworkFile {
  file: string;
  config: NetConfList;
}

interface Stamp {
  dir: bigint;
  file: bigint;
  size: bigint;
}

/**
 * The network in use: the first config file of the directory in lexical order (as CRI runtimes
 * pick it). Re-read only when the directory or that file has changed since the last load.
 */
export class NetworkSource {
  private cached?: { stamp: Stamp; network: NetworkFile };

  constructor(private readonly dir: string) {}

  async load(): Promise<NetworkFile> {
    const dirStat = await fs.stat(this.dir, { bigint: true }).catch(() => undefined);
    if (!dirStat) throw this.none("the directory does not exist");
    if (this.cached && this.cached.stamp.dir === dirStat.mtimeNs) {
      const fileStat = await fs.stat(this.cached.network.file, { bigint: true }).catch(() => null);
      if (
        fileStat &&
        fileStat.mtimeNs === this.cached.stamp.file &&
        fileStat.size === this.cached.stamp.size
      ) {
        return this.cached.network;
      }
    }
    const file = await this.firstFile();
    const fileStat = await fs.stat(file, { bigint: true });
    const text = await fs.readFile(file, "utf8");
    const network = { file, config: parseConfList(file, text) };
    this.cached = {
      stamp: { dir: dirStat.mtimeNs, file: fileStat.mtimeNs, size: fileStat.size },
      network,
    };
    return network;
  }

  private async firstFile(): Promise<string> {
    const entries = await fs.readdir(this.dir, { withFileTypes: true });
    const names = entries
      .filter((e) => !e.isDirectory() && extensions.includes(path.extname(e.name)))
      .map((e) => e.name)
      .sort();
    if (names.length === 0) throw this.none(`no ${extensions.join("/")} file`);
    return path.join(this.dir, names[0]);
  }

  private none(why: string): CniError {
    return new CniError(cniCode.invalidConfig, `no network config in ${this.dir}`, why);
  }
}
