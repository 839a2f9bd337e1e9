import { promises as fs } from "node:fs";
import path from "node:path";
import type { Payload } from "./payload.js";

/** The files under a data directory, as a payload (symlinks and other oddities are skipped). */
export async function readPayloadDir(dir: string): Promise<Payload | undefined> {
  const payload: Payload = new Map();
  const walk = async (sub: string): Promise<void> => {
    for (const entry of await fs.readdir(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub === "" ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) await walk(rel);
      else if (entry.isFile()) {
        const full = path.join(dir, rel);
        const [data, stat] = await Promise.all([fs.readFile(full), fs.stat(full)]);
        payload.set(rel, { data, mode: stat.mode & 0o7777 });
      }
    }
  };
  try {
    await walk("");
  } catch {
    return undefined; // missing or unreadable: treated as "not written yet", so it is rewritten
  }
  return payload;
}
