import { failedPrecondition, invalidArgument } from "../../../lib/errors.js";
import type { ContainerRecord } from "../../runtime/records.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import type { StreamOptions } from "../../streaming/remote-command.js";
import { requireContainer } from "./container-lookup.js";

/** The streams an Exec or Attach asks for, checked as kubelet's streaming server checks them. */
export function streamOptions(req: {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}): StreamOptions {
  if (req.tty && req.stderr) {
    throw invalidArgument("tty and stderr cannot both be true", { field: "stderr" });
  }
  if (!req.stdin && !req.stdout && !req.stderr) {
    throw invalidArgument("one of stdin, stdout, or stderr must be set", { field: "stdout" });
  }
  return { stdin: req.stdin, stdout: req.stdout, stderr: req.stderr, tty: req.tty };
}

/** The container an id names, which must be running to exec in or attach to. */
export async function requireRunningContainer(
  deps: RuntimeDeps,
  wanted: string,
): Promise<ContainerRecord> {
  const record = await requireContainer(deps, wanted);
  if (record.state !== "running") {
    throw failedPrecondition(`container ${record.id} is not running (it is ${record.state})`, {
      field: "container_id",
    });
  }
  return record;
}
