import type { SandboxRecord } from "../records.js";
import type { RuntimeDeps } from "../runtime-deps.js";
import { stopContainer } from "../container/stop-container.js";
import { stopPidHolder } from "./pid-holder.js";
import { unpinNamespaces } from "./pinned-namespaces.js";

/** Stops every container of the pod at once and releases its namespaces; repeating it is harmless. */
export async function stopSandbox(deps: RuntimeDeps, sandbox: SandboxRecord): Promise<void> {
  const containers = deps.containers.list().filter((c) => c.sandboxId === sandbox.id);
  await Promise.all(
    containers.map((c) =>
      deps.locks.run(c.id, () => stopContainer(deps, deps.containers.get(c.id) ?? c, 0)),
    ),
  );
  if (sandbox.pidHolder) stopPidHolder(sandbox.pidHolder);
  await unpinNamespaces(Object.values(sandbox.namespaces));
  if (sandbox.state === "ready") await deps.sandboxes.update(sandbox.id, { state: "notready" });
}
