import type { ContainerRecord } from "../records.js";
import type { RuntimeDeps } from "../runtime-deps.js";
import { exitReason, readExitFile } from "./exit-status.js";

/**
 * Brings a record up to date with what happened while nobody looked: a running (or created and
 * then started) container whose conmon wrote an exit file has exited, with that code and time.
 * It was OOMKilled when its memory cgroup counted a kill and its init died of SIGKILL: a child
 * the OOM killer took, under an init that then exited by itself, is not the container's death.
 */
export async function refreshContainer(
  deps: RuntimeDeps,
  record: ContainerRecord,
): Promise<ContainerRecord> {
  if (record.state !== "running" && record.state !== "created") return record;
  const exit = await readExitFile(deps.paths.exits, record.id);
  if (!exit) return record;
  const killed = exit.exitCode === 137 || exit.exitCode === 9;
  const oomKilled = killed && (await oomKillCount(deps, record)) > 0;
  // The exit file's mtime comes from the kernel's coarse clock, which can trail the agent's
  // clock by a tick: a container that ends at once would seem to end before it started.
  const finishedAt = later(exit.finishedAt, record.startedAt);
  return deps.containers.update(record.id, {
    state: "exited",
    exitCode: oomKilled ? 137 : exit.exitCode,
    finishedAt,
    reason: exitReason(exit.exitCode, oomKilled),
    startedAt: record.startedAt ?? finishedAt,
  });
}

/** `finished`, or just after `started` when the clocks disagree. */
function later(finished: string, started: string | undefined): string {
  if (started === undefined || BigInt(finished) > BigInt(started)) return finished;
  return (BigInt(started) + 1n).toString();
}

/** The cgroup's OOM kill count; 0, logged, when it cannot be read (the exit still counts). */
async function oomKillCount(deps: RuntimeDeps, record: ContainerRecord): Promise<number> {
  try {
    return await deps.cgroups.oomKills(record.cgroup);
  } catch (err) {
    deps.logger.warn("cannot read the OOM kill count; reporting the exit without it", {
      container: record.id,
      cgroup: record.cgroup,
      error: String(err),
    });
    return 0;
  }
}
