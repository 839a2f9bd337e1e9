import { promises as fs } from "node:fs";
import path from "node:path";
import type { ContainerStatusRequest__Output } from "../../../proto/gen/runtime/v1/ContainerStatusRequest.js";
import type { ContainerStatusResponse } from "../../../proto/gen/runtime/v1/ContainerStatusResponse.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { requireContainer } from "./container-lookup.js";
import { criContainerState } from "./container-state.js";

/** Unknown ids are NotFound. Verbose info carries the pid and the OCI spec, as containerd's does. */
export async function containerStatus(
  deps: RuntimeDeps,
  req: ContainerStatusRequest__Output,
): Promise<ContainerStatusResponse> {
  const c = await requireContainer(deps, req.container_id);
  const info: Record<string, string> = {};
  if (req.verbose) {
    const spec = await fs
      .readFile(path.join(deps.paths.bundle(c.id), "config.json"), "utf8")
      .then((t) => JSON.parse(t) as unknown)
      .catch(() => undefined);
    info.info = JSON.stringify({
      pid: c.pid ?? 0,
      sandboxID: c.sandboxId,
      cgroup: c.cgroup,
      runtimeSpec: spec,
    });
  }
  return {
    status: {
      id: c.id,
      metadata: c.metadata,
      state: criContainerState(c),
      created_at: c.createdAt,
      started_at: c.startedAt ?? "0",
      finished_at: c.finishedAt ?? "0",
      exit_code: c.exitCode ?? 0,
      image: { image: c.imageRef, annotations: {} },
      image_ref: c.imageId,
      image_id: c.imageId,
      reason: c.reason ?? "",
      message: c.message ?? "",
      labels: c.labels,
      annotations: c.annotations,
      mounts: c.mounts,
      log_path: c.logPath,
    },
    info,
  };
}
