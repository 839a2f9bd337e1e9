import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import type { CniResult } from "../spec/types.js";

/** libcni's cache record (`kind: "cniCacheV1"`); `config` is the conflist JSON, base64. */
export interface CacheEntry {
  kind: "cniCacheV1";
  containerId: string;
  config: string;
  ifName: string;
  networkName: string;
  netns?: string;
  cniArgs?: [string, string][];
  capabilityArgs?: Record<string, unknown>;
  /** Absent while the ADD runs, or when its cleanup failed: the attachment still needs a DEL. */
  result?: CniResult;
}

export interface CachedFile {
  file: string;
  entry: CacheEntry;
}

/** One file per attachment, `<dir>/<network>-<containerId>-<ifname>`, replaced atomically. */
export class ResultCache {
  constructor(readonly dir: string) {}

  fileFor(network: string, containerId: string, ifname: string): string {
    return path.join(this.dir, `${network}-${containerId}-${ifname}`);
  }

  async write(entry: CacheEntry): Promise<string> {
    const file = this.fileFor(entry.networkName, entry.containerId, entry.ifName);
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = path.join(this.dir, `.${path.basename(file)}.${randomBytes(4).toString("hex")}`);
    const handle = await fs.open(tmp, "w", 0o600);
    try {
      await handle.writeFile(JSON.stringify(entry));
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.rename(tmp, file);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
    await syncDir(this.dir);
    return file;
  }

  async remove(file: string): Promise<void> {
    await fs.rm(file, { force: true });
    await syncDir(this.dir).catch(() => undefined);
  }

  /** The entry of an attachment in one network's file. */
  async get(network: string, containerId: string, ifname: string): Promise<CachedFile | undefined> {
    const file = this.fileFor(network, containerId, ifname);
    const entry = await readEntry(file);
    return typeof entry === "object" ? { file, entry } : undefined;
  }

  /** The entry of an attachment: in `network`'s file when given, else in any network's. */
  async find(
    containerId: string,
    ifname: string,
    network?: string,
  ): Promise<CachedFile | undefined> {
    const exact = network ? await this.get(network, containerId, ifname) : undefined;
    if (exact) return exact;
    return (await this.entries()).find(
      (c) => c.entry.containerId === containerId && c.entry.ifName === ifname,
    );
  }

  /** Every readable entry. */
  async entries(): Promise<CachedFile[]> {
    return (await this.scan()).entries;
  }

  /** Readable entries, and the files that are not cache records (to be removed by GC). */
  async scan(): Promise<{ entries: CachedFile[]; corrupt: string[] }> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], corrupt: [] };
      throw err;
    }
    const entries: CachedFile[] = [];
    const corrupt: string[] = [];
    for (const name of names.filter((n) => !n.startsWith(".")).sort()) {
      const file = path.join(this.dir, name);
      const entry = await readEntry(file);
      if (typeof entry === "object") entries.push({ file, entry });
      else if (entry === "corrupt") corrupt.push(file);
    }
    return { entries, corrupt };
  }
}

async function readEntry(file: string): Promise<CacheEntry | "missing" | "corrupt"> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw err;
  }
  try {
    const entry = JSON.parse(text) as CacheEntry;
    const ok =
      entry?.kind === "cniCacheV1" &&
      typeof entry.containerId === "string" &&
      typeof entry.ifName === "string" &&
      typeof entry.networkName === "string" &&
      typeof entry.config === "string";
    return ok ? entry : "corrupt";
  } catch {
    return "corrupt";
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
