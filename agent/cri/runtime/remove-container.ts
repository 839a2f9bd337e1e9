import type { RemoveContainerRequest__Output } from "../../../proto/gen/runtime/v1/RemoveContainerRequest.js";
import type { RemoveContainerResponse } from "../../../proto/gen/runtime/v1/RemoveContainerResponse.js";
import { removeContainer as remove } from "../../runtime/container/remove-container.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { findContainerId } from "./container-lookup.js";

/** Kills the container first if it runs; unknown ids and repeats are success. */
export async function removeContainer(
  deps: RuntimeDeps,
  req: RemoveContainerRequest__Output,
): Promise<RemoveContainerResponse> {
  const id = findContainerId(deps, req.container_id);
  if (id === undefined) return {};
  await deps.locks.run(id, async () => {
    const record = deps.containers.get(id);
    if (record) await remove(deps, record);
  });
  deps.logger.info("container removed", { container: id });
  return {};
}
