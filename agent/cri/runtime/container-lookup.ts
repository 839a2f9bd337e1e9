import { requireId, resolveId } from "../../runtime/ids.js";
import type { ContainerRecord } from "../../runtime/records.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { refreshContainer } from "../../runtime/container/refresh-container.js";

/** The container an id (or unique prefix) names, up to date; NotFound if none. */
export async function requireContainer(
  deps: RuntimeDeps,
  wanted: string,
): Promise<ContainerRecord> {
  const id = requireId(
    deps.containers.list().map((c) => c.id),
    wanted,
    "container",
    "container_id",
  );
  return refreshContainer(deps, deps.containers.get(id)!);
}

/** For idempotent calls: undefined when no container matches. */
export function findContainerId(deps: RuntimeDeps, wanted: string): string | undefined {
  return resolveId(
    deps.containers.list().map((c) => c.id),
    wanted,
    "container",
    "container_id",
  );
}
