import { promises as fs } from "node:fs";
import path from "node:path";
import { removeContainer } from "./container/remove-container.js";
import { isMountPoint, unmountRootfs } from "./container/rootfs.js";
import { refreshContainer } from "./container/refresh-container.js";
import type { ContainerRecord } from "./records.js";
import type { RuntimeDeps } from "./runtime-deps.js";
import { removeSandbox } from "./sandbox/remove-sandbox.js";
import { isHolderAlive } from "./sandbox/pid-holder.js";
import { unpinNamespaces } from "./sandbox/pinned-namespaces.js";

export interface Recovered {
  adopted: number;
  exited: number;
  rolledBack: number;
  leftovers: number;
}

/**
 * Reconciles the records with the host after an agent start: running containers are adopted as
 * they are (never restarted), exits that happened meanwhile are read from conmon's exit files,
 * operations cut short are finished or rolled back, and anything with no record (runc state,
 * mounts, namespace pins, bundles) is removed.
 */
export async function recoverRuntime(deps: RuntimeDeps): Promise<Recovered> {
  const result: Recovered = { adopted: 0, exited: 0, rolledBack: 0, leftovers: 0 };
  await deps.sandboxes.load();
  await deps.containers.load();

  for (const record of deps.containers.list()) {
    if (record.state === "creating" || record.state === "removing") {
      await removeContainer(deps, record);
      result.rolledBack += 1;
      continue;
    }
    const current = await reconcileContainer(deps, record);
    if (current.state === "running" || current.state === "created") result.adopted += 1;
    else if (record.state !== "exited") result.exited += 1;
  }
  for (const sandbox of deps.sandboxes.list()) {
    if (sandbox.state === "creating" || sandbox.state === "removing") {
      await removeSandbox(deps, sandbox);
      result.rolledBack += 1;
    } else if (sandbox.state === "ready") {
      const pins = Object.values(sandbox.namespaces);
      const holderAlive = !sandbox.pidHolder || isHolderAlive(sandbox.pidHolder);
      const intact =
        holderAlive && (await Promise.all(pins.map((p) => isMountPoint(p)))).every(Boolean);
      if (!intact) await deps.sandboxes.update(sandbox.id, { state: "notready" });
    }
  }
  result.leftovers = await removeLeftovers(deps);
  await deps.network.collect(
    deps.sandboxes
      .list()
      .filter((s) => s.network && s.network.state !== "detached")
      .map((s) => s.id),
  );
  return result;
}

/** What runc knows decides for containers whose exit conmon did not record. */
async function reconcileContainer(
  deps: RuntimeDeps,
  record: ContainerRecord,
): Promise<ContainerRecord> {
  const current = await refreshContainer(deps, record);
  if (current.state === "exited") return current;
  const state = await deps.runc.state(current.id);
  if (state?.status === "running" && current.state === "created") {
    return refreshContainer(
      deps,
      await deps.containers.update(current.id, { state: "running", startedAt: current.createdAt }),
    );
  }
  if (state === undefined || state.status === "stopped") {
    return deps.containers.update(current.id, {
      state: "exited",
      exitCode: 255,
      reason: "Error",
      message: "the container's exit was not recorded (its monitor is gone)",
      finishedAt: current.finishedAt ?? current.startedAt ?? current.createdAt,
    });
  }
  return current;
}

async function removeLeftovers(deps: RuntimeDeps): Promise<number> {
  let removed = 0;
  const containers = new Set(deps.containers.list().map((c) => c.id));
  const sandboxes = new Set(deps.sandboxes.list().map((s) => s.id));
  for (const state of await deps.runc.list()) {
    if (containers.has(state.id)) continue;
    await deps.runc.delete(state.id, true);
    removed += 1;
  }
  const bundles = path.join(deps.paths.runDir, "containers");
  for (const id of await readdir(bundles)) {
    if (containers.has(id)) continue;
    await unmountRootfs(deps.paths.rootfs(id));
    await fs.rm(deps.paths.bundle(id), { recursive: true, force: true });
    await fs.rm(path.join(deps.paths.exits, id), { force: true });
    await deps.images.release(id);
    removed += 1;
  }
  const runs = path.join(deps.paths.runDir, "sandboxes");
  for (const id of await readdir(runs)) {
    if (sandboxes.has(id)) continue;
    await unpinNamespaces(
      (["net", "ipc", "uts"] as const).map((k) => deps.paths.namespacePin(id, k)),
    );
    await fs.rm(deps.paths.sandboxRun(id), { recursive: true, force: true });
    removed += 1;
  }
  for (const child of await deps.cgroups.children(deps.cgroupParent)) {
    const id = path.posix.basename(child);
    if (sandboxes.has(id)) continue;
    await deps.cgroups.remove(child);
    removed += 1;
  }
  return removed;
}

async function readdir(dir: string): Promise<string[]> {
  return fs.readdir(dir).catch(() => []);
}
