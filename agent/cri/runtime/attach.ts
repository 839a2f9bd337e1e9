import type { AttachRequest__Output } from "../../../proto/gen/runtime/v1/AttachRequest.js";
import type { AttachResponse } from "../../../proto/gen/runtime/v1/AttachResponse.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import type { CriStreaming } from "../streaming/cri-stream-request.js";
import { requireRunningContainer, streamOptions } from "./stream-options.js";

/** A URL on the streaming server where the client attaches to the container's stdio. */
export async function attach(
  deps: RuntimeDeps,
  streaming: CriStreaming,
  req: AttachRequest__Output,
): Promise<AttachResponse> {
  const options = streamOptions(req);
  const record = await requireRunningContainer(deps, req.container_id);
  const target = { containerId: record.id, tty: record.tty, stdin: record.stdin };
  return { url: streaming.url({ kind: "attach", target, options }) };
}
