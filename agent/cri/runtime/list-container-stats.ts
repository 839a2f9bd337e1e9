import type { ContainerStatsFilter__Output } from "../../../proto/gen/runtime/v1/ContainerStatsFilter.js";
import type { ListContainerStatsRequest__Output } from "../../../proto/gen/runtime/v1/ListContainerStatsRequest.js";
import type { ListContainerStatsResponse } from "../../../proto/gen/runtime/v1/ListContainerStatsResponse.js";
import type { ContainerRecord } from "../../runtime/records.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { containerStats } from "../../runtime/stats/container-stats.js";
import { listContainers } from "./list-containers.js";

export async function listContainerStats(
  deps: RuntimeDeps,
  req: ListContainerStatsRequest__Output,
): Promise<ListContainerStatsResponse> {
  const records = await containersMatching(deps, req.filter);
  return { stats: await Promise.all(records.map((c) => containerStats(deps, c))) };
}

/** The containers ListContainers would list for the same filter (any state), as records. */
export async function containersMatching(
  deps: RuntimeDeps,
  filter: Partial<ContainerStatsFilter__Output> | null,
): Promise<ContainerRecord[]> {
  const { containers } = await listContainers(deps, {
    filter: {
      id: filter?.id ?? "",
      pod_sandbox_id: filter?.pod_sandbox_id ?? "",
      label_selector: filter?.label_selector ?? {},
      state: null,
    },
  });
  return (containers ?? [])
    .map((c) => deps.containers.get(c.id ?? ""))
    .filter((c): c is ContainerRecord => c !== undefined);
}
