import type { ContainerStatusRequest__Output } from "../../../proto/gen/runtime/v1/ContainerStatusRequest.js";
import type { ContainerStatusResponse } from "../../../proto/gen/runtime/v1/ContainerStatusResponse.js";
import { readBundleSpec } from "../../runtime/container/bundle-spec.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { requireContainer } from "./container-lookup.js";
import { criResourcesFromSpec } from "./container-resources.js";
import { criContainerState } from "./container-state.js";

/** Unknown ids are NotFound. Verbose info carries the pid and the OCI spec, as containerd's does. */
export async function containerStatus(
  deps: RuntimeDeps,
  req: ContainerStatusRequest__Output,
): Promise<ContainerStatusResponse> {
  const c = await requireContainer(deps, req.container_id);
  const spec = await readBundleSpec(deps.paths, c.id);
  const image = await deps.images.find(c.imageId).catch(() => undefined);
  const info: Record<string, string> = {};
  if (req.verbose) {
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
      // As containerd: the image's first tag and repo digest when it still has them.
      image: { image: image?.repoTags[0] ?? c.imageRef, annotations: {} },
      image_ref: image?.repoDigests[0] ?? c.imageId,
      image_id: c.imageId,
      reason: c.reason ?? "",
      message: c.message ?? "",
      labels: c.labels,
      annotations: c.annotations,
      mounts: c.mounts,
      log_path: c.logPath,
      resources: spec ? { linux: criResourcesFromSpec(spec) } : null,
    },
    info,
  };
}
