import type { ContainerStatus, Pod, PodStatus } from "../../kube/types.js";
import { isSidecar } from "./restart-rules.js";

type Phase = NonNullable<PodStatus["phase"]>;

/**
 * kubelet's getPhase. Pending while a regular init container has not succeeded (Failed at once
 * when one failed under restartPolicy Never), while a sidecar has not started before the pod was
 * initialized, or while an app container waits for its first start; Running once every app
 * container started and one runs; with all stopped: Succeeded/Failed when the pod is terminal,
 * else by restartPolicy (Always → Running, all exit 0 → Succeeded, Never → Failed, OnFailure →
 * Running while restarting).
 */
export function podPhase(
  pod: Pod,
  statuses: ContainerStatus[],
  podIsTerminal: boolean,
  podHasInitialized: boolean,
): Phase {
  const byName = new Map(statuses.map((s) => [s.name, s]));
  const policy = pod.spec?.restartPolicy ?? "Always";
  let pendingInits = 0;
  let pendingSidecars = 0;
  let failedInit = 0;
  for (const c of pod.spec?.initContainers ?? []) {
    const s = byName.get(c.name);
    if (isSidecar(c)) continue;
    if (!s || s.state?.running) pendingInits++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.lastState?.terminated) {
      if (s.lastState.terminated.exitCode !== 0) failedInit++;
    } else pendingInits++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of pod.spec?.initContainers ?? []) {
    if (!isSidecar(c)) continue;
    const s = byName.get(c.name);
    if (!s) unknown++;
    else if (s.state?.running) {
      if (!s.started) pendingSidecars++;
      running++;
    } else if (s.state?.terminated || s.lastState?.terminated) {
      // A stopped sidecar does not change the pod's phase.
    } else if (s.state?.waiting) {
      pendingSidecars++;
      waiting++;
    } else {
      pendingSidecars++;
      unknown++;
    }
  }
  for (const c of pod.spec?.containers ?? []) {
    const s = byName.get(c.name);
    if (!s) unknown++;
    else if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInit > 0 && policy === "Never") return "Failed";
  if (pendingInits > 0 || (pendingSidecars > 0 && !podHasInitialized) || waiting > 0)
    return "Pending";
  if (running > 0 && unknown === 0) return "Running";
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? "Succeeded" : "Failed";
    if (policy === "Always") return "Running";
    if (stopped === succeeded) return "Succeeded";
    if (policy === "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}
