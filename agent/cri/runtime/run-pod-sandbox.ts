import { invalidArgument, notFound } from "../../../lib/errors.js";
import type { RunPodSandboxRequest__Output } from "../../../proto/gen/runtime/v1/RunPodSandboxRequest.js";
import type { RunPodSandboxResponse } from "../../../proto/gen/runtime/v1/RunPodSandboxResponse.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { createSandbox } from "../../runtime/sandbox/create-sandbox.js";

/** Berth runs every pod with its one OCI runtime; "" and "runc" name it. */
const handlers = new Set(["", "runc"]);

export async function runPodSandbox(
  deps: RuntimeDeps,
  req: RunPodSandboxRequest__Output,
): Promise<RunPodSandboxResponse> {
  if (!req.config) throw invalidArgument("config must be set", { field: "config" });
  if (!handlers.has(req.runtime_handler)) {
    throw notFound(`runtime handler ${JSON.stringify(req.runtime_handler)} is not configured`, {
      field: "runtime_handler",
    });
  }
  const sandbox = await createSandbox(deps, req.config, req.runtime_handler);
  deps.logger.info("pod sandbox ready", { sandbox: sandbox.id, pod: req.config.metadata?.name });
  return { pod_sandbox_id: sandbox.id };
}
