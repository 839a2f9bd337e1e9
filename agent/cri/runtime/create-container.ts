import { invalidArgument } from "../../../lib/errors.js";
import type { CreateContainerRequest__Output } from "../../../proto/gen/runtime/v1/CreateContainerRequest.js";
import type { CreateContainerResponse } from "../../../proto/gen/runtime/v1/CreateContainerResponse.js";
import { createContainer as create } from "../../runtime/container/create-container.js";
import { requireId } from "../../runtime/ids.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";

export async function createContainer(
  deps: RuntimeDeps,
  req: CreateContainerRequest__Output,
): Promise<CreateContainerResponse> {
  if (!req.config) throw invalidArgument("config must be set", { field: "config" });
  const sandboxId = requireId(
    deps.sandboxes.list().map((s) => s.id),
    req.pod_sandbox_id,
    "pod sandbox",
    "pod_sandbox_id",
  );
  const record = await deps.locks.run(sandboxId, () =>
    create(deps, deps.sandboxes.get(sandboxId)!, req.config!),
  );
  deps.logger.info("container created", {
    container: record.id,
    sandbox: sandboxId,
    name: record.metadata.name,
  });
  return { container_id: record.id };
}
