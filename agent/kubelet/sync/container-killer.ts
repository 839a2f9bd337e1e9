import type { Container, Pod } from "../../kube/types.js";
import { containerRef, errorMessage, podRef, type SyncDeps } from "./sync-deps.js";
import type { RuntimeContainer, RuntimePod } from "./runtime-pod.js";

/** kubelet never stops a container with less than this: a SIGKILL without any chance to exit. */
const minimumGraceSeconds = 2;

export interface KillRequest {
  containerId: string;
  name: string;
  /** The container's spec, when its pod is known (for the preStop hook and event reference). */
  container?: Container;
  graceSeconds: number;
  /** The Killing event's message (default "Stopping container <name>"). */
  message?: string;
}

/**
 * kubelet's killContainer: a Killing event, the preStop hook (which uses up part of the grace
 * period), then StopContainer with what is left — the stop signal, then SIGKILL at the deadline.
 */
export async function killContainer(deps: SyncDeps, pod: Pod, req: KillRequest): Promise<void> {
  const ref = req.container ? containerRef(pod, req.container) : podRef(pod);
  deps.api.recordEvent(ref, "Normal", "Killing", req.message ?? `Stopping container ${req.name}`);
  const started = deps.now();
  let grace = Math.max(0, req.graceSeconds);
  if (req.container?.lifecycle?.preStop && grace > 0) {
    try {
      await deps.hooks.runPreStop(pod, req.container, req.containerId, started + grace * 1000);
    } catch (err) {
      const message = `PreStopHook failed: ${errorMessage(err)}`;
      deps.api.recordEvent(ref, "Warning", "FailedPreStopHook", message);
    }
    grace -= Math.floor((deps.now() - started) / 1000);
  }
  grace = Math.max(grace, minimumGraceSeconds);
  await deps.runtime.stopContainer({ container_id: req.containerId, timeout: grace });
}

/** The grace period a deleted pod is stopped with: the deletion's, else the spec's, else 30 s. */
export function podGraceSeconds(pod: Pod): number {
  return pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
}

/**
 * Stops every running container of the pod (app containers first, then init containers and
 * sidecars, each group in parallel) and then every sandbox. The pod may be a stand-in rebuilt
 * from runtime labels, without a spec: each container then uses the grace period its labels carry.
 */
export async function killPod(
  deps: SyncDeps,
  pod: Pod,
  state: RuntimePod,
  graceSeconds: number | undefined,
): Promise<void> {
  const live = state.containers.filter(
    (c) => c.state === "running" || c.state === "unknown" || c.state === "created",
  );
  const inits = new Set((pod.spec?.initContainers ?? []).map((c) => c.name));
  const stop = (c: RuntimeContainer) =>
    killContainer(deps, pod, {
      containerId: c.id,
      name: c.name,
      container: specOf(pod, c.name),
      graceSeconds: graceSeconds ?? c.terminationGracePeriodSeconds ?? 30,
    });
  await Promise.all(live.filter((c) => !inits.has(c.name)).map(stop));
  await Promise.all(live.filter((c) => inits.has(c.name)).map(stop));
  for (const s of state.sandboxes) await deps.runtime.stopPodSandbox({ pod_sandbox_id: s.id });
}

/** Removes every sandbox of the pod (and with them its containers). */
export async function removePodFromRuntime(deps: SyncDeps, state: RuntimePod): Promise<void> {
  for (const c of state.containers) await deps.runtime.removeContainer({ container_id: c.id });
  for (const s of state.sandboxes) await deps.runtime.removePodSandbox({ pod_sandbox_id: s.id });
  deps.inspector.forget(state.containers.map((c) => c.id));
}

export function specOf(pod: Pod, name: string): Container | undefined {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
    (c) => c.name === name,
  );
}
