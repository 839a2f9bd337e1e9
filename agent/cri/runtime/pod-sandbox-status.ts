import type { PodSandboxStatusRequest__Output } from "../../../proto/gen/runtime/v1/PodSandboxStatusRequest.js";
import type { PodSandboxStatusResponse } from "../../../proto/gen/runtime/v1/PodSandboxStatusResponse.js";
import { requireId } from "../../runtime/ids.js";
import { nowNanos, type SandboxRecord } from "../../runtime/records.js";
import type { RuntimeDeps } from "../../runtime/runtime-deps.js";
import { criSandboxState } from "./sandbox-state.js";

/** An unknown id is NotFound here (unlike stop and remove). */
export async function podSandboxStatus(
  deps: RuntimeDeps,
  req: PodSandboxStatusRequest__Output,
): Promise<PodSandboxStatusResponse> {
  const id = requireId(
    deps.sandboxes.list().map((s) => s.id),
    req.pod_sandbox_id,
    "pod sandbox",
    "pod_sandbox_id",
  );
  const s = deps.sandboxes.get(id)!;
  const options = s.config.linux?.security_context?.namespace_options;
  const info: Record<string, string> = req.verbose
    ? {
        info: JSON.stringify({
          state: s.state,
          namespaces: s.namespaces,
          cgroup: s.cgroup,
          files: s.files,
          config: s.config,
        }),
      }
    : {};
  return {
    status: {
      id: s.id,
      metadata: s.config.metadata,
      state: criSandboxState(s),
      created_at: s.createdAt,
      network: podNetworkStatus(s),
      linux: {
        namespaces: {
          options: {
            network: options?.network ?? "POD",
            pid: options?.pid ?? "CONTAINER",
            ipc: options?.ipc ?? "POD",
            target_id: options?.target_id ?? "",
          },
        },
      },
      labels: s.config.labels,
      annotations: s.config.annotations,
      runtime_handler: s.runtimeHandler,
    },
    info,
    containers_statuses: [],
    timestamp: nowNanos(),
  };
}

/** The pod's IPs while it is attached (none on the host network, or once stopped). */
function podNetworkStatus(s: SandboxRecord) {
  const ips = s.network?.state === "attached" ? s.network.ips : [];
  return { ip: ips[0] ?? "", additional_ips: ips.slice(1).map((ip) => ({ ip })) };
}
