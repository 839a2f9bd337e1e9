import { failedPrecondition, invalidArgument } from "../../../lib/errors.js";
import type { PortForwardRequest__Output } from "../../../proto/gen/runtime/v1/PortForwardRequest.js";
import type { PortForwardResponse } from "../../../proto/gen/runtime/v1/PortForwardResponse.js";
import { requireId } from "../../runtime/ids.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import type { CriStreaming } from "../streaming/cri-stream-request.js";

/** A URL on the streaming server that forwards connections to the sandbox's ports. */
export async function portForward(
  deps: RuntimeDeps,
  streaming: CriStreaming,
  req: PortForwardRequest__Output,
): Promise<PortForwardResponse> {
  const id = requireId(
    deps.sandboxes.list().map((s) => s.id),
    req.pod_sandbox_id,
    "pod sandbox",
    "pod_sandbox_id",
  );
  const sandbox = deps.sandboxes.get(id)!;
  if (sandbox.state !== "ready") {
    throw failedPrecondition(`pod sandbox ${id} is not ready (it is ${sandbox.state})`, {
      field: "pod_sandbox_id",
    });
  }
  for (const port of req.port) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw invalidArgument(`port ${port} is not between 1 and 65535`, { field: "port" });
    }
  }
  const request = {
    kind: "portforward" as const,
    sandboxId: id,
    netnsPath: sandbox.namespaces.net,
    ports: req.port,
  };
  return { url: streaming.url(request) };
}
