import { promises as fs } from "node:fs";
import type { SandboxRecord } from "../records.js";
import type { RuntimeDeps } from "../runtime-deps.js";
import { removeContainer } from "../container/remove-container.js";
import { stopSandbox } from "./stop-sandbox.js";

/** Removes a pod: stops it, removes its containers, its cgroup (if Berth made it) and its files. */
export async function removeSandbox(deps: RuntimeDeps, sandbox: SandboxRecord): Promise<void> {
  await stopSandbox(deps, sandbox);
  await deps.sandboxes.update(sandbox.id, { state: "removing" });
  for (const c of deps.containers.list().filter((c) => c.sandboxId === sandbox.id)) {
    await deps.locks.run(c.id, async () => {
      const current = deps.containers.get(c.id);
      if (current) await removeContainer(deps, current);
    });
  }
  if (sandbox.ownsCgroup) await deps.cgroups.remove(sandbox.cgroup);
  await fs.rm(deps.paths.sandboxRun(sandbox.id), { recursive: true, force: true });
  await deps.sandboxes.delete(sandbox.id);
}
