import { compressLog } from "./compress-log.js";
import type { LogFs } from "./log-fs.js";
import { listRotatedLogs, rotatedLogPath } from "./rotated-logs.js";

export interface LogRotationDeps {
  fs: LogFs;
  now(): Date;
  /** ReopenContainerLog: the container's monitor starts a new file at the log's path. */
  reopen(containerId: string): Promise<void>;
  /** Files the log may have, the live one included (≥ 2). */
  maxFiles: number;
}

export interface LoggingContainer {
  id: string;
  logPath: string;
}

/**
 * Rotates a running container's log as kubelet does: leftovers of an interrupted compression are
 * removed, then the oldest rotated files so that, with the live file and the one rotated now,
 * at most maxFiles remain; the others are compressed, all but the newest (rotated now, so a
 * reader still at it keeps a plain file). The live log is renamed to `<log>.<timestamp>` and the
 * monitor reopens it; if that fails the rename is undone, to be tried again next time. Answers
 * the rotated file, or undefined when one of that second already exists (tried next time).
 */
export async function rotateContainerLog(
  deps: LogRotationDeps,
  container: LoggingContainer,
): Promise<string | undefined> {
  const { fs } = deps;
  const log = container.logPath;
  const rotated = rotatedLogPath(log, deps.now());
  if ((await fs.size(rotated)) !== undefined || (await fs.size(`${rotated}.gz`)) !== undefined) {
    return undefined;
  }
  const { kept, leftovers } = await listRotatedLogs(fs, log);
  for (const file of leftovers) await fs.remove(file);
  const keep = Math.max(deps.maxFiles - 2, 0);
  const excess = Math.max(kept.length - keep, 0);
  // Oldest first: a reader that is behind loses as little as it can.
  for (const file of kept.slice(0, excess)) await fs.remove(file);
  for (const file of kept.slice(excess)) {
    if (!file.endsWith(".gz")) await compressLog(fs, file);
  }
  await fs.rename(log, rotated);
  try {
    await deps.reopen(container.id);
  } catch (err) {
    try {
      await fs.rename(rotated, log);
    } catch (renameErr) {
      throw new Error(
        `reopening the log of container ${container.id} failed (${(err as Error).message}) and ${rotated} could not be renamed back: ${(renameErr as Error).message}`,
        { cause: renameErr },
      );
    }
    throw err;
  }
  return rotated;
}
