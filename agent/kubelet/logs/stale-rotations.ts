import path from "node:path";
import type { LogFs } from "./log-fs.js";
import { listRotatedLogs, rotatedFrom } from "./rotated-logs.js";
import type { ContainerLogEntry } from "./runtime-log-port.js";

/**
 * Rotated files of container instances the runtime no longer has: kubelet removes a container's
 * logs with the container. The instance's main `<n>.log` stays (`logs --previous` reads it after
 * the instance is gone; the pod's whole log dir goes with the pod), only its rotations go.
 * Answers the files removed.
 */
export async function removeRotationsOfRemovedContainers(
  fs: LogFs,
  containers: ContainerLogEntry[],
): Promise<string[]> {
  const known = new Set(containers.map((c) => c.logPath));
  const dirs = new Set(containers.map((c) => path.dirname(c.logPath)));
  const removed: string[] = [];
  for (const dir of dirs) {
    for (const name of await fs.list(dir)) {
      const from = rotatedFrom(name);
      if (from === undefined || known.has(path.join(dir, from))) continue;
      const file = path.join(dir, name);
      await fs.remove(file);
      removed.push(file);
    }
  }
  return removed;
}

/**
 * A container that stopped while its log was being rotated (renamed, and its monitor gone before
 * it reopened) has no main log: its newest rotation is renamed back, so `logs --previous` finds
 * it. Answers whether it did.
 */
export async function restoreMainLog(fs: LogFs, container: ContainerLogEntry): Promise<boolean> {
  if ((await fs.size(container.logPath)) !== undefined) return false;
  const newest = (await listRotatedLogs(fs, container.logPath)).kept.at(-1);
  if (!newest || newest.endsWith(".gz")) return false;
  await fs.rename(newest, container.logPath);
  return true;
}
