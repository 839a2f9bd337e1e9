import { promises as fs } from "node:fs";
import path from "node:path";
import { errnoCode } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";

export interface HousekeepingOptions {
  /** Whether the kubelet still has anything to do with the pod (a worker, or runtime objects). */
  inUse(uid: string): boolean;
  /** The uids that have a pod dir (PodVolumes.listPodDirs). */
  podDirs(): Promise<string[]>;
  /** Removes a pod's dir, unmounting its volumes (PodVolumes.tearDown). */
  removePodDir(uid: string): Promise<void>;
  /** kubelet's pod logs root: <namespace>_<name>_<uid> per pod. */
  podLogsRoot: string;
  /**
   * Whether the pod was this kubelet's (bound to this node, or found in its runtime): the logs
   * root may be shared, so logs of pods never seen here are left alone.
   */
  wasOurs(uid: string): boolean;
  logger: Logger;
}

/**
 * kubelet's cleanupOrphanedPodDirs and pod log clean-up: the dir of a pod the kubelet no longer
 * has anything to do with (no worker, nothing in the runtime) is removed — what a crash between
 * removing a pod's containers and its files leaves behind — and so are the logs of such a pod
 * once it was this kubelet's. Answers the uids cleaned up.
 */
export async function removeOrphanedPodFiles(options: HousekeepingOptions): Promise<string[]> {
  const removed: string[] = [];
  for (const uid of await options.podDirs()) {
    if (options.inUse(uid)) continue;
    try {
      await options.removePodDir(uid);
      removed.push(uid);
    } catch (err) {
      options.logger.warn("could not remove an orphaned pod dir", {
        pod: uid,
        error: (err as Error).message,
      });
    }
  }
  for (const dir of await listDirs(options.podLogsRoot)) {
    const uid = dir.slice(dir.lastIndexOf("_") + 1);
    if (!dir.includes("_") || !options.wasOurs(uid) || options.inUse(uid)) continue;
    await fs.rm(path.join(options.podLogsRoot, dir), { recursive: true, force: true });
    if (!removed.includes(uid)) removed.push(uid);
  }
  if (removed.length > 0) options.logger.info("removed orphaned pod files", { pods: removed });
  return removed;
}

async function listDirs(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return [];
    throw err;
  }
}
