import { promises as fs } from "node:fs";
import path from "node:path";
import { errnoCode } from "../../../lib/errors.js";
import { nowNanos, type Nanos } from "../records.js";

export interface LayerUsage {
  timestamp: Nanos;
  /** Disk blocks in use (st_blocks × 512, as du and containerd count), a hardlinked inode once. */
  usedBytes: number;
  inodesUsed: number;
}

/**
 * What a container's writable layer (its overlay upper dir) takes on disk. The container keeps
 * writing while it is walked, so entries that vanish midway are skipped; undefined when the dir
 * itself is gone (the container is being removed).
 */
export async function writableLayerUsage(upperDir: string): Promise<LayerUsage | undefined> {
  const timestamp = nowNanos();
  const seen = new Set<string>();
  const usage = { usedBytes: 0, inodesUsed: 0 };
  const visit = async (p: string): Promise<void> => {
    const st = await lstatIfPresent(p);
    if (!st) return;
    const inode = `${st.dev}:${st.ino}`;
    if (!seen.has(inode)) {
      seen.add(inode);
      usage.inodesUsed += 1;
      usage.usedBytes += st.blocks * 512;
    }
    if (!st.isDirectory()) return;
    const names = await fs.readdir(p).catch((err: unknown) => {
      if (errnoCode(err) === "ENOENT" || errnoCode(err) === "ENOTDIR") return [];
      throw err;
    });
    for (const name of names) await visit(path.join(p, name));
  };
  if (!(await lstatIfPresent(upperDir))) return undefined;
  await visit(upperDir);
  return { timestamp, ...usage };
}

async function lstatIfPresent(p: string) {
  try {
    return await fs.lstat(p);
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return undefined;
    throw err;
  }
}
