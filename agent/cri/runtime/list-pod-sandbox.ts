import type { ListPodSandboxRequest__Output } from "../../../proto/gen/runtime/v1/ListPodSandboxRequest.js";
import type { ListPodSandboxResponse } from "../../../proto/gen/runtime/v1/ListPodSandboxResponse.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { matchesLabels } from "../labels.js";
import { criSandboxState } from "./sandbox-state.js";

export async function listPodSandbox(
  deps: RuntimeDeps,
  req: ListPodSandboxRequest__Output,
): Promise<ListPodSandboxResponse> {
  const f = req.filter;
  const items = deps.sandboxes
    .list()
    .filter((s) => !f?.id || s.id === f.id || s.id.startsWith(f.id))
    .filter((s) => !f?.state || criSandboxState(s) === f.state.state)
    .filter((s) => !f?.label_selector || matchesLabels(s.config.labels, f.label_selector))
    .sort((a, b) => (BigInt(a.createdAt) < BigInt(b.createdAt) ? -1 : 1))
    .map((s) => ({
      id: s.id,
      metadata: s.config.metadata,
      state: criSandboxState(s),
      created_at: s.createdAt,
      labels: s.config.labels,
      annotations: s.config.annotations,
      runtime_handler: s.runtimeHandler,
    }));
  return { items };
}
