import type { ContainerStatsRequest__Output } from "../../../proto/gen/runtime/v1/ContainerStatsRequest.js";
import type { ContainerStatsResponse } from "../../../proto/gen/runtime/v1/ContainerStatsResponse.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { containerStats as stats } from "../../runtime/stats/container-stats.js";
import { requireContainer } from "./container-lookup.js";

/** An unknown id is NotFound. */
export async function containerStats(
  deps: RuntimeDeps,
  req: ContainerStatsRequest__Output,
): Promise<ContainerStatsResponse> {
  return { stats: await stats(deps, await requireContainer(deps, req.container_id)) };
}
