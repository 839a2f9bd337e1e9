import fs from "node:fs";
import path from "node:path";

export interface Usage {
  /** Bytes of disk blocks in use (a hardlinked inode counted once). */
  bytes: number;
  inodes: number;
}

export async function diskUsage(dir: string): Promise<Usage> {
  const seen = new Set<number>();
  const usage: Usage = { bytes: 0, inodes: 0 };
  // Synchronous for the same reason as applyLayer: a walk is thousands of tiny calls.
  const walk = (p: string): void => {
    const st = fs.lstatSync(p);
    if (!seen.has(st.ino)) {
      seen.add(st.ino);
      usage.inodes += 1;
      usage.bytes += st.blocks * 512;
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    }
  };
  walk(dir);
  return usage;
}
