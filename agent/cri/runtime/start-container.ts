import type { StartContainerRequest__Output } from "../../../proto/gen/runtime/v1/StartContainerRequest.js";
import type { StartContainerResponse } from "../../../proto/gen/runtime/v1/StartContainerResponse.js";
import { startContainer as start } from "../../runtime/container/start-container.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { requireContainer } from "./container-lookup.js";

export async function startContainer(
  deps: RuntimeDeps,
  req: StartContainerRequest__Output,
): Promise<StartContainerResponse> {
  const { id } = await requireContainer(deps, req.container_id);
  await deps.locks.run(id, () => start(deps, deps.containers.get(id)!));
  deps.logger.info("container started", { container: id });
  return {};
}
