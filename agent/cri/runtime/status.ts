import { access, constants } from "node:fs/promises";
import type { StatusRequest__Output } from "../../../proto/gen/runtime/v1/StatusRequest.js";
import type { StatusResponse } from "../../../proto/gen/runtime/v1/StatusResponse.js";
import type { RuntimeCondition } from "../../../proto/gen/runtime/v1/RuntimeCondition.js";
import type { NetworkCondition } from "../../network/pod-network.js";

export interface StatusDeps {
  /** Whether pods can get a network now, and why not. */
  network: () => Promise<NetworkCondition>;
  /** The OCI runtime binary containers will run with. */
  runtimePath: string;
  root: string;
  runDir: string;
}

/** RuntimeReady when the OCI runtime can be executed; NetworkReady from the CNI config and plugins. */
export async function status(
  deps: StatusDeps,
  request: StatusRequest__Output,
): Promise<StatusResponse> {
  const runtimeReady = await access(deps.runtimePath, constants.X_OK).then(
    () => true,
    () => false,
  );
  const network = await deps.network();
  const conditions: RuntimeCondition[] = [
    {
      type: "RuntimeReady",
      status: runtimeReady,
      reason: runtimeReady ? "" : "RuntimeNotFound",
      message: runtimeReady ? "" : `OCI runtime ${deps.runtimePath} is not executable`,
    },
    {
      type: "NetworkReady",
      status: network.ready,
      reason: network.reason,
      message: network.message,
    },
  ];
  const info: Record<string, string> = request.verbose
    ? {
        config: JSON.stringify({ root: deps.root, runDir: deps.runDir, runtime: deps.runtimePath }),
      }
    : {};
  return { status: { conditions }, info, runtime_handlers: [], features: null };
}
