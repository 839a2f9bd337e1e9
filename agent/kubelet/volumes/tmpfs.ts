import { promises as fs } from "node:fs";
import { run } from "../../../lib/exec.js";
import type { Logger } from "../../../lib/logger.js";
import { mountsUnder, readMountPoints } from "./mountinfo.js";

const mountTimeoutMs = 30_000;

/** True when `dir` (compared by its real path) is a mount point. */
export async function isMountPoint(dir: string): Promise<boolean> {
  const real = await fs.realpath(dir).catch(() => undefined);
  if (!real) return false;
  return (await readMountPoints()).includes(real);
}

/**
 * Mounts a tmpfs on `dir` unless one is already there, so a repeated set-up is harmless; true when
 * it mounted one. `mode` is the root directory's permissions; `sizeBytes` undefined leaves tmpfs's
 * default (half of RAM).
 */
export async function ensureTmpfs(
  dir: string,
  options: { mode: number; sizeBytes?: number },
  logger: Logger,
): Promise<boolean> {
  await fs.mkdir(dir, { recursive: true, mode: 0o750 });
  if (await isMountPoint(dir)) return false;
  const opts = ["nosuid", "nodev", `mode=${options.mode.toString(8).padStart(4, "0")}`];
  if (options.sizeBytes !== undefined) opts.push(`size=${options.sizeBytes}`);
  await run("mount", ["-t", "tmpfs", "-o", opts.join(","), "tmpfs", dir], {
    timeoutMs: mountTimeoutMs,
  });
  logger.info("mounted tmpfs volume", { path: dir, sizeBytes: options.sizeBytes });
  return true;
}

/**
 * Unmounts everything at or below `dir`, deepest first. A mount still in use (an open file, a
 * process's cwd) is detached lazily: it leaves the tree now and the kernel frees it once unused.
 * Returns what is still mounted there afterwards (empty on success).
 */
export async function unmountUnder(dir: string, logger: Logger): Promise<string[]> {
  const real = (await fs.realpath(dir).catch(() => undefined)) ?? dir;
  for (const point of mountsUnder(await readMountPoints(), real)) {
    try {
      await run("umount", [point], { timeoutMs: mountTimeoutMs });
    } catch (err) {
      logger.warn("unmount failed, detaching lazily", { path: point, error: String(err) });
      await run("umount", ["-l", point], { timeoutMs: mountTimeoutMs }).catch((lazyErr) =>
        logger.error("lazy unmount failed", { path: point, error: String(lazyErr) }),
      );
    }
  }
  return mountsUnder(await readMountPoints(), real);
}
