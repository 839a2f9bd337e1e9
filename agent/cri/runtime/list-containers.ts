import type { ListContainersRequest__Output } from "../../../proto/gen/runtime/v1/ListContainersRequest.js";
import type { ListContainersResponse } from "../../../proto/gen/runtime/v1/ListContainersResponse.js";
import { refreshContainer } from "../../runtime/container/refresh-container.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { matchesLabels } from "../labels.js";
import { criContainerState } from "./container-state.js";

export async function listContainers(
  deps: RuntimeDeps,
  req: ListContainersRequest__Output,
): Promise<ListContainersResponse> {
  const f = req.filter;
  const records = await Promise.all(
    deps.containers
      .list()
      .filter((c) => c.state !== "creating" && c.state !== "removing")
      .filter((c) => !f?.id || c.id === f.id || c.id.startsWith(f.id))
      .filter(
        (c) =>
          !f?.pod_sandbox_id ||
          c.sandboxId === f.pod_sandbox_id ||
          c.sandboxId.startsWith(f.pod_sandbox_id),
      )
      .filter((c) => !f?.label_selector || matchesLabels(c.labels, f.label_selector))
      .map((c) => refreshContainer(deps, c)),
  );
  const containers = records
    .filter((c) => !f?.state || criContainerState(c) === f.state.state)
    .sort((a, b) => (BigInt(a.createdAt) < BigInt(b.createdAt) ? -1 : 1))
    .map((c) => ({
      id: c.id,
      pod_sandbox_id: c.sandboxId,
      metadata: c.metadata,
      image: { image: c.imageRef, annotations: {} },
      image_ref: c.imageId,
      image_id: c.imageId,
      state: criContainerState(c),
      created_at: c.createdAt,
      labels: c.labels,
      annotations: c.annotations,
    }));
  return { containers };
}
