import type { ExecSyncRequest__Output } from "../../../proto/gen/runtime/v1/ExecSyncRequest.js";
import type { ExecSyncResponse } from "../../../proto/gen/runtime/v1/ExecSyncResponse.js";
import { execSync as exec } from "../../runtime/container/exec-sync.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { requireContainer } from "./container-lookup.js";

/** A non-zero exit is a result, not an error; a timeout is DeadlineExceeded (what probes expect). */
export async function execSync(
  deps: RuntimeDeps,
  req: ExecSyncRequest__Output,
): Promise<ExecSyncResponse> {
  const record = await requireContainer(deps, req.container_id);
  const result = await exec(deps, record, req.cmd, Number(req.timeout));
  return { stdout: result.stdout, stderr: result.stderr, exit_code: result.exitCode };
}
