import { failedPrecondition } from "../../../lib/errors.js";
import { nowNanos, type ContainerRecord } from "../records.js";
import type { RuntimeDeps } from "../runtime-deps.js";

/** Starts a created container (runc start); conmon is already its monitor. */
export async function startContainer(
  deps: RuntimeDeps,
  record: ContainerRecord,
): Promise<ContainerRecord> {
  if (record.state !== "created") {
    throw failedPrecondition(`container ${record.id} is ${record.state}, not created`, {
      field: "container_id",
    });
  }
  const startedAt = nowNanos();
  await deps.runc.start(record.id);
  return deps.containers.update(record.id, { state: "running", startedAt });
}
