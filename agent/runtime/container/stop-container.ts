import { setTimeout as sleep } from "node:timers/promises";
import type { ContainerRecord } from "../records.js";
import type { RuntimeDeps } from "../runtime-deps.js";
import { readExitFile } from "./exit-status.js";
import { refreshContainer } from "./refresh-container.js";

/**
 * Stops a container: its stop signal, up to `timeoutSeconds` for it to exit, then SIGKILL to every
 * process in its cgroup. Returns once conmon has recorded the exit, so nothing of it still runs.
 */
export async function stopContainer(
  deps: RuntimeDeps,
  record: ContainerRecord,
  timeoutSeconds: number,
): Promise<ContainerRecord> {
  let current = await refreshContainer(deps, record);
  if (current.state !== "running") return current;
  if (timeoutSeconds > 0) {
    await deps.runc.kill(current.id, current.stopSignal || "SIGTERM").catch(() => undefined);
    if (await waitForExit(deps, current.id, timeoutSeconds * 1000))
      return refreshContainer(deps, current);
  }
  await deps.runc.kill(current.id, "SIGKILL", true).catch(() => undefined);
  if (!(await waitForExit(deps, current.id, 10_000))) {
    deps.logger.warn("container did not exit after SIGKILL", { container: current.id });
  }
  current = await refreshContainer(deps, current);
  return current;
}

async function waitForExit(deps: RuntimeDeps, id: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  // A short steady poll: the exit file is a cheap read, and a stop waits on it.
  for (let delay = 2; Date.now() < deadline; delay = Math.min(delay * 2, 10)) {
    if (await readExitFile(deps.paths.exits, id)) return true;
    await sleep(delay);
  }
  return (await readExitFile(deps.paths.exits, id)) !== undefined;
}
