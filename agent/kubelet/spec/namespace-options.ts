import type { Pod } from "../../kube/types.js";
import type { NamespaceOption } from "../../../proto/gen/runtime/v1/NamespaceOption.js";

/**
 * The pod's namespaces, as kubelet's NamespacesForPod: network and IPC are the pod's own unless
 * hostNetwork/hostIPC; PID is the node's with hostPID, the pod's with shareProcessNamespace, else
 * each container's own.
 */
export function podNamespaceOptions(pod: Pod): NamespaceOption {
  const spec = pod.spec;
  return {
    network: spec?.hostNetwork ? "NODE" : "POD",
    pid: spec?.hostPID ? "NODE" : spec?.shareProcessNamespace ? "POD" : "CONTAINER",
    ipc: spec?.hostIPC ? "NODE" : "POD",
  };
}
