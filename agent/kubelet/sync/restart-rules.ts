import type { Container, Pod } from "../../kube/types.js";
import { latestContainer, type RuntimePod } from "./runtime-pod.js";

export function restartPolicy(pod: Pod): "Always" | "OnFailure" | "Never" {
  return pod.spec?.restartPolicy ?? "Always";
}

/** Whether failed containers of the pod are restarted (Always and OnFailure). */
export function shouldRestartOnFailure(pod: Pod): boolean {
  return restartPolicy(pod) !== "Never";
}

/** A sidecar: an init container with its own restartPolicy Always, kept running beside the app. */
export function isSidecar(container: Container): boolean {
  return container.restartPolicy === "Always";
}

/**
 * kubelet's ShouldContainerBeRestarted: never once the pod is being deleted; a container never
 * created, only created, or in an unknown state is (re)started; an exited one by the pod's
 * restartPolicy (OnFailure: only after a non-zero exit). Sidecars always restart.
 */
export function shouldContainerBeRestarted(
  pod: Pod,
  container: Container,
  state: RuntimePod,
): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  const latest = latestContainer(state, container.name);
  if (!latest) return true;
  if (latest.state === "running") return false;
  if (latest.state === "unknown" || latest.state === "created") return true;
  if (isSidecar(container)) return true;
  const policy = restartPolicy(pod);
  if (policy === "Never") return false;
  if (policy === "OnFailure") return latest.exitCode !== 0;
  return true;
}

/** kubelet's format.Pod: "name_namespace(uid)". */
export function formatPod(pod: Pod): string {
  const m = pod.metadata ?? {};
  return `${m.name ?? ""}_${m.namespace ?? ""}(${m.uid ?? ""})`;
}
