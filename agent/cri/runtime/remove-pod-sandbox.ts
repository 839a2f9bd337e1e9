import type { RemovePodSandboxRequest__Output } from "../../../proto/gen/runtime/v1/RemovePodSandboxRequest.js";
import type { RemovePodSandboxResponse } from "../../../proto/gen/runtime/v1/RemovePodSandboxResponse.js";
import { resolveId } from "../../runtime/ids.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { removeSandbox } from "../../runtime/sandbox/remove-sandbox.js";

/** Force-removes the pod and its containers; an unknown id is success. */
export async function removePodSandbox(
  deps: RuntimeDeps,
  req: RemovePodSandboxRequest__Output,
): Promise<RemovePodSandboxResponse> {
  const id = resolveId(
    deps.sandboxes.list().map((s) => s.id),
    req.pod_sandbox_id,
    "pod sandbox",
    "pod_sandbox_id",
  );
  if (id === undefined) return {};
  await deps.locks.run(id, async () => {
    const sandbox = deps.sandboxes.get(id);
    if (sandbox) await removeSandbox(deps, sandbox);
  });
  deps.logger.info("pod sandbox removed", { sandbox: id });
  return {};
}
