import type { OciNamespace } from "./oci-spec.js";
import type { JoinedNamespaces } from "./spec-input.js";

/**
 * linux.namespaces: a new mount namespace; the pod's network, IPC and UTS namespaces joined by
 * path (absent = the host's, so no entry); PID joined by path for POD/TARGET, new for CONTAINER,
 * the host's for NODE. A new cgroup namespace only on pure cgroup v2 and unprivileged — what
 * containerd does, for compatibility with v1 tooling that expects the host's cgroup paths.
 */
export function linuxNamespaces(
  joined: JoinedNamespaces,
  pidMode: string | undefined,
  options: { cgroupVersion: 1 | 2; privileged: boolean },
): OciNamespace[] {
  const out: OciNamespace[] = [{ type: "mount" }];
  if (joined.network) out.push({ type: "network", path: joined.network });
  if (joined.ipc) out.push({ type: "ipc", path: joined.ipc });
  if (joined.uts) out.push({ type: "uts", path: joined.uts });
  if (joined.pid) out.push({ type: "pid", path: joined.pid });
  else if (pidMode !== "NODE") out.push({ type: "pid" });
  if (options.cgroupVersion === 2 && !options.privileged) out.push({ type: "cgroup" });
  return out;
}
