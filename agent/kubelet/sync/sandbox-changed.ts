import type { Pod } from "../../kube/types.js";
import type { RuntimePod } from "./runtime-pod.js";

export interface SandboxDecision {
  /** A new sandbox is needed (and everything in the old one must go first). */
  changed: boolean;
  /** The new sandbox's attempt: 0 for the first, the newest one's + 1 after. */
  attempt: number;
  /** The newest sandbox's id ("" when there is none). */
  sandboxId: string;
}

/**
 * kubelet's PodSandboxChanged: a pod needs a new sandbox when it has none, when more than one is
 * ready, when the newest is not ready, when it switched to or from the host network, or when a
 * pod-network sandbox has no IP.
 */
export function podSandboxChanged(pod: Pod, state: RuntimePod): SandboxDecision {
  const newest = state.sandboxes[0];
  if (!newest) return { changed: true, attempt: 0, sandboxId: "" };
  const next = { attempt: newest.attempt + 1, sandboxId: newest.id };
  const ready = state.sandboxes.filter((s) => s.ready).length;
  const hostNetwork = pod.spec?.hostNetwork === true;
  const changed =
    ready > 1 ||
    !newest.ready ||
    newest.hostNetwork !== hostNetwork ||
    (!hostNetwork && state.ips.length === 0);
  return changed
    ? { changed: true, ...next }
    : { changed: false, attempt: newest.attempt, sandboxId: newest.id };
}
