import type { StopPodSandboxRequest__Output } from "../../../proto/gen/runtime/v1/StopPodSandboxRequest.js";
import type { StopPodSandboxResponse } from "../../../proto/gen/runtime/v1/StopPodSandboxResponse.js";
import { resolveId } from "../../runtime/ids.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { stopSandbox } from "../../runtime/sandbox/stop-sandbox.js";

/** Idempotent: an unknown or already stopped pod is success (the kubelet repeats this call). */
export async function stopPodSandbox(
  deps: RuntimeDeps,
  req: StopPodSandboxRequest__Output,
): Promise<StopPodSandboxResponse> {
  const id = resolveId(
    deps.sandboxes.list().map((s) => s.id),
    req.pod_sandbox_id,
    "pod sandbox",
    "pod_sandbox_id",
  );
  if (id === undefined) return {};
  await deps.locks.run(id, async () => {
    const sandbox = deps.sandboxes.get(id);
    if (sandbox) await stopSandbox(deps, sandbox);
  });
  return {};
}
