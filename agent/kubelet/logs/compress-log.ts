import type { LogFs } from "./log-fs.js";

/**
 * Replaces a rotated log with `<file>.gz`: compressed into `<file>.tmp` first, so a `.gz` is
 * always whole; the original goes once the `.gz` exists (a crash in between leaves the
 * original as a leftover, removed by the next rotation).
 */
export async function compressLog(fs: LogFs, file: string): Promise<string> {
  const tmp = `${file}.tmp`;
  const compressed = `${file}.gz`;
  try {
    await fs.gzip(file, tmp);
    await fs.rename(tmp, compressed);
  } catch (err) {
    await fs.remove(tmp).catch(() => undefined);
    throw err;
  }
  await fs.remove(file);
  return compressed;
}
