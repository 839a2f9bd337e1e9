import { promises as fs } from "node:fs";
import path from "node:path";
import type { ContainerRecord } from "../records.js";
import type { RuntimeDeps } from "../runtime-deps.js";
import { unmountRootfs } from "./rootfs.js";
import { stopContainer } from "./stop-container.js";

/**
 * Removes a container and everything it had on the host: process (killed first), runc state,
 * cgroup, rootfs mount, bundle, writable layer and the hold on its image. Each step tolerates
 * having been done already, so an interrupted removal is finished by running it again.
 */
export async function removeContainer(deps: RuntimeDeps, record: ContainerRecord): Promise<void> {
  if (record.state === "running") await stopContainer(deps, record, 0);
  await deps.containers.update(record.id, { state: "removing" });
  await deps.runc.delete(record.id, true);
  await deps.cgroups.remove(record.cgroup);
  await unmountRootfs(deps.paths.rootfs(record.id));
  await fs.rm(deps.paths.bundle(record.id), { recursive: true, force: true });
  await fs.rm(path.join(deps.paths.exits, record.id), { force: true });
  await deps.images.release(record.id);
  await deps.containers.delete(record.id);
}
