import type { UpdateContainerResourcesRequest__Output } from "../../../proto/gen/runtime/v1/UpdateContainerResourcesRequest.js";
import type { UpdateContainerResourcesResponse } from "../../../proto/gen/runtime/v1/UpdateContainerResourcesResponse.js";
import { updateContainerResources as update } from "../../runtime/container/update-container-resources.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { requireContainer } from "./container-lookup.js";

/** Unknown ids are NotFound, exited containers FailedPrecondition, bad limits InvalidArgument. */
export async function updateContainerResources(
  deps: RuntimeDeps,
  req: UpdateContainerResourcesRequest__Output,
): Promise<UpdateContainerResourcesResponse> {
  const { id } = await requireContainer(deps, req.container_id);
  await deps.locks.run(id, async () => {
    await update(deps, await requireContainer(deps, id), req.linux);
  });
  return {};
}
