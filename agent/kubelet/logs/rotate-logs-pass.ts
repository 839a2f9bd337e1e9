import type { Logger } from "../../../lib/logger.js";
import { checkContainerLog } from "./check-container-log.js";
import type { LogFs } from "./log-fs.js";
import type { LogRotationPolicy } from "./log-rotation-policy.js";
import type { LogRotationRuntime } from "./runtime-log-port.js";
import { removeRotationsOfRemovedContainers, restoreMainLog } from "./stale-rotations.js";

export interface RotateLogsDeps {
  runtime: LogRotationRuntime;
  policy: Pick<LogRotationPolicy, "maxSizeBytes" | "maxFiles">;
  fs: LogFs;
  now(): Date;
  logger: Logger;
}

/**
 * One pass of kubelet's rotateLogs: every running container's log is checked and rotated when
 * it is over the limit; exited ones are left as they are (they write nothing more) but for a
 * main log lost to a rotation they stopped in the middle of; rotations of removed instances
 * are cleaned up. A container that fails is logged and the others still checked.
 */
export async function rotateLogsPass(deps: RotateLogsDeps): Promise<void> {
  const { fs, logger } = deps;
  const containers = await deps.runtime.containers();
  const check = {
    fs,
    now: deps.now,
    reopen: (id: string) => deps.runtime.reopenContainerLog(id),
    maxFiles: deps.policy.maxFiles,
    maxSizeBytes: deps.policy.maxSizeBytes,
  };
  for (const container of containers) {
    const fields = { container: container.id, path: container.logPath };
    try {
      if (!container.running) {
        if (await restoreMainLog(fs, container))
          logger.info("restored a stopped container's log", fields);
        continue;
      }
      const rotated = await checkContainerLog(check, container);
      if (rotated) logger.debug("rotated a container log", { ...fields, rotated });
    } catch (err) {
      logger.warn("could not rotate a container log", { ...fields, error: (err as Error).message });
    }
  }
  const removed = await removeRotationsOfRemovedContainers(fs, containers);
  if (removed.length > 0) logger.debug("removed rotated logs of removed containers", { removed });
}
