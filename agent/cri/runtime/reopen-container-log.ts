import type { ReopenContainerLogRequest__Output } from "../../../proto/gen/runtime/v1/ReopenContainerLogRequest.js";
import type { ReopenContainerLogResponse } from "../../../proto/gen/runtime/v1/ReopenContainerLogResponse.js";
import { reopenContainerLog as reopen } from "../../runtime/container/reopen-log.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { requireContainer } from "./container-lookup.js";

export async function reopenContainerLog(
  deps: RuntimeDeps,
  req: ReopenContainerLogRequest__Output,
): Promise<ReopenContainerLogResponse> {
  const record = await requireContainer(deps, req.container_id);
  await deps.locks.run(record.id, () => reopen(deps, record));
  return {};
}
