import { promises as fs } from "node:fs";
import path from "node:path";
import { scratchName } from "./store-paths.js";

/** Replaces a file so readers see the old or the new content, never a mix (write, fsync, rename). */
export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  const tmp = path.join(path.dirname(file), scratchName(".tmp"));
  const handle = await fs.open(tmp, "w", 0o600);
  try {
    await handle.writeFile(data);
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
}
