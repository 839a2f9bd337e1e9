import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { unavailable } from "./errors.js";

export interface FileLockOptions {
  /** Seconds to wait for the lock before failing with Unavailable (default 60). */
  waitSeconds?: number;
}

/**
 * Runs `fn` holding an exclusive kernel flock on `lockPath` (created if missing). Node has no
 * flock of its own, so a short-lived `flock -x <fd>` child locks the open file description we
 * share with it and exits; the lock stays with our descriptor until we close it, and the kernel
 * drops it at once if this process dies, even by SIGKILL. One spawn per lock.
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const waitSeconds = options.waitSeconds ?? 60;
  const fd = openSync(lockPath, "a");
  try {
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn("flock", ["--exclusive", "--wait", String(waitSeconds), "3"], {
        stdio: ["ignore", "ignore", "ignore", fd],
      });
      child.once("error", () => resolve(null));
      child.once("close", (c) => resolve(c));
    });
    if (code !== 0) {
      throw unavailable(`lock ${lockPath} not acquired within ${waitSeconds}s`);
    }
    return await fn();
  } finally {
    closeSync(fd);
  }
}
