import {
  rotateContainerLog,
  type LogRotationDeps,
  type LoggingContainer,
} from "./rotate-container-log.js";

export interface LogCheckDeps extends LogRotationDeps {
  maxSizeBytes: number;
}

/**
 * kubelet's per-container step: a running container's log at or over the limit is rotated.
 * A live log that is missing (a rotation cut short between the rename and the reopen, by a
 * restart) is reopened first. Answers the rotated file when it rotated.
 */
export async function checkContainerLog(
  deps: LogCheckDeps,
  container: LoggingContainer,
): Promise<string | undefined> {
  let size = await deps.fs.size(container.logPath);
  if (size === undefined) {
    await deps.reopen(container.id);
    size = await deps.fs.size(container.logPath);
    if (size === undefined) return undefined;
  }
  if (size < deps.maxSizeBytes) return undefined;
  return rotateContainerLog(deps, container);
}
