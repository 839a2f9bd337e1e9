import type { ContainerRecord } from "../records.js";
import type { RuntimeDeps } from "../runtime-deps.js";
import { exitReason, readExitFile } from "./exit-status.js";

/**
 * Brings a record up to date with what happened while nobody looked: a running (or created and
 * then started) container whose conmon wrote an exit file has exited, with that code and time.
 */
export async function refreshContainer(
  deps: RuntimeDeps,
  record: ContainerRecord,
): Promise<ContainerRecord> {
  if (record.state !== "running" && record.state !== "created") return record;
  const exit = await readExitFile(deps.paths.exits, record.id);
  if (!exit) return record;
  const oomKills = await deps.cgroups.oomKills(record.cgroup).catch(() => 0);
  const oomKilled = oomKills > 0 && (exit.exitCode === 137 || exit.exitCode === 9);
  return deps.containers.update(record.id, {
    state: "exited",
    exitCode: oomKilled ? 137 : exit.exitCode,
    finishedAt: exit.finishedAt,
    reason: exitReason(exit.exitCode, oomKilled),
    startedAt: record.startedAt ?? exit.finishedAt,
  });
}
