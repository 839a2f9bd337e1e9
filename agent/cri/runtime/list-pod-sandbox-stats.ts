import type { ListPodSandboxStatsRequest__Output } from "../../../proto/gen/runtime/v1/ListPodSandboxStatsRequest.js";
import type { ListPodSandboxStatsResponse } from "../../../proto/gen/runtime/v1/ListPodSandboxStatsResponse.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { podSandboxStats } from "../../runtime/stats/pod-sandbox-stats.js";
import { containersMatching } from "./list-container-stats.js";
import { listPodSandbox } from "./list-pod-sandbox.js";

/** The pods ListPodSandbox lists for the same id and labels, each with its containers' stats. */
export async function listPodSandboxStats(
  deps: RuntimeDeps,
  req: ListPodSandboxStatsRequest__Output,
): Promise<ListPodSandboxStatsResponse> {
  const { items } = await listPodSandbox(deps, {
    filter: {
      id: req.filter?.id ?? "",
      label_selector: req.filter?.label_selector ?? {},
      state: null,
    },
  });
  const stats = await Promise.all(
    (items ?? []).map(async (item) => {
      const sandbox = deps.sandboxes.get(item.id ?? "");
      if (!sandbox) return undefined;
      return podSandboxStats(
        deps,
        sandbox,
        await containersMatching(deps, { pod_sandbox_id: sandbox.id }),
      );
    }),
  );
  return { stats: stats.filter((s) => s !== undefined) };
}
