import { constants, promises as fs } from "node:fs";
import path from "node:path";
import { failedPrecondition } from "../../../lib/errors.js";
import type { ContainerRecord } from "../records.js";
import type { RuntimeDeps } from "../runtime-deps.js";

/** conmon's control FIFO message type for "reopen the log file" (its REOPEN_LOGS_EVENT). */
const reopenLogs = 2;

/**
 * Asks conmon to reopen the container's log at its path, after the kubelet renamed the file for
 * rotation: new output goes to a new file there and the old one stops growing.
 */
export async function reopenContainerLog(
  deps: RuntimeDeps,
  record: ContainerRecord,
): Promise<void> {
  if (record.state !== "running") {
    throw failedPrecondition(`container ${record.id} is not running`, { field: "container_id" });
  }
  const ctl = path.join(deps.paths.bundle(record.id), "ctl");
  // O_NONBLOCK: never hang on a FIFO whose reader (conmon) is gone.
  const handle = await fs.open(ctl, constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    await handle.write(`${reopenLogs} 0 0\n`);
  } finally {
    await handle.close();
  }
  if (!record.logPath) return;
  // conmon reopens asynchronously; the call returns once the new file exists.
  for (let i = 0; i < 100; i++) {
    if (
      await fs.access(record.logPath).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 10));
  }
}
