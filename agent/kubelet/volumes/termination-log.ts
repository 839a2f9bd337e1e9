import { promises as fs } from "node:fs";
import path from "node:path";
import type { PodFiles } from "./pod-paths.js";

/**
 * Creates the empty file a container's terminationMessagePath is bind-mounted from and returns its
 * path. World-writable, so a container running as any user can leave its message.
 */
export async function createTerminationLog(
  files: PodFiles,
  containerName: string,
  restartId: string,
): Promise<string> {
  const file = files.terminationLog(containerName, restartId);
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o750 });
  await (await fs.open(file, "a", 0o666)).close();
  await fs.chmod(file, 0o666);
  return file;
}
