import type { StopContainerRequest__Output } from "../../../proto/gen/runtime/v1/StopContainerRequest.js";
import type { StopContainerResponse } from "../../../proto/gen/runtime/v1/StopContainerResponse.js";
import { stopContainer as stop } from "../../runtime/container/stop-container.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { findContainerId } from "./container-lookup.js";

/** Idempotent: unknown or already exited containers are success. */
export async function stopContainer(
  deps: RuntimeDeps,
  req: StopContainerRequest__Output,
): Promise<StopContainerResponse> {
  const id = findContainerId(deps, req.container_id);
  if (id === undefined) return {};
  const timeout = Math.max(0, Number(req.timeout));
  await deps.locks.run(id, async () => {
    const record = deps.containers.get(id);
    if (record) await stop(deps, record, timeout);
  });
  return {};
}
