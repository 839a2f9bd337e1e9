import type { PodSandboxStatsRequest__Output } from "../../../proto/gen/runtime/v1/PodSandboxStatsRequest.js";
import type { PodSandboxStatsResponse } from "../../../proto/gen/runtime/v1/PodSandboxStatsResponse.js";
import { requireId } from "../../runtime/ids.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { podSandboxStats as stats } from "../../runtime/stats/pod-sandbox-stats.js";
import { containersMatching } from "./list-container-stats.js";

/** An unknown id is NotFound. */
export async function podSandboxStats(
  deps: RuntimeDeps,
  req: PodSandboxStatsRequest__Output,
): Promise<PodSandboxStatsResponse> {
  const id = requireId(
    deps.sandboxes.list().map((s) => s.id),
    req.pod_sandbox_id,
    "pod sandbox",
    "pod_sandbox_id",
  );
  const sandbox = deps.sandboxes.get(id)!;
  const containers = await containersMatching(deps, { pod_sandbox_id: id });
  return { stats: await stats(deps, sandbox, containers) };
}
