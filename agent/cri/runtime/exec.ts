import { invalidArgument } from "../../../lib/errors.js";
import type { ExecRequest__Output } from "../../../proto/gen/runtime/v1/ExecRequest.js";
import type { ExecResponse } from "../../../proto/gen/runtime/v1/ExecResponse.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import type { CriStreaming } from "../streaming/cri-stream-request.js";
import { requireRunningContainer, streamOptions } from "./stream-options.js";

/** A URL on the streaming server where the client runs the command (SPDY or WebSocket). */
export async function exec(
  deps: RuntimeDeps,
  streaming: CriStreaming,
  req: ExecRequest__Output,
): Promise<ExecResponse> {
  if (req.cmd.length === 0 || req.cmd[0] === "") {
    throw invalidArgument("cmd must name the command to run", { field: "cmd" });
  }
  const options = streamOptions(req);
  const record = await requireRunningContainer(deps, req.container_id);
  return { url: streaming.url({ kind: "exec", containerId: record.id, cmd: req.cmd, options }) };
}
