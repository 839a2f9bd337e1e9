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
  const current = deps.sandboxes.get(sandbox.id) ?? sandbox;
  // CNI DEL runs once, and before the namespace goes (plugins clean up inside it).
  if (current.network && current.network.state !== "detached") {
    await deps.network.detach(current);
    await deps.sandboxes.update(sandbox.id, { network: { ...current.network, state: "detached" } });
  }
  await unpinNamespaces(Object.values(sandbox.namespaces));
  if (current.state === "ready") await deps.sandboxes.update(sandbox.id, { state: "notready" });
}
