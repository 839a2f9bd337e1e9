import type { Container, Pod } from "../../kube/types.js";
import type { ActionContext, ContainerToStart, PodActions } from "./pod-actions.js";
import { runningKill, unknownKill } from "./container-kills.js";
import { isSidecar, shouldRestartOnFailure } from "./restart-rules.js";
import type { RuntimePod } from "./runtime-pod.js";

export interface InitContext extends ActionContext {
  start(container: Container): ContainerToStart;
}

/**
 * Init containers in order, in the current sandbox: each must exit 0 before the next starts; a
 * failed one is restarted (after back-off) unless the pod's restartPolicy is Never, which fails
 * the pod. A sidecar (restartPolicy Always) is started and kept running, and the next one waits
 * until it has started. Once any app container exists in the sandbox the pod is initialized: only
 * sidecars are looked after then. Returns whether the pod is initialized.
 */
export function computeInitActions(
  pod: Pod,
  state: RuntimePod,
  actions: PodActions,
  ctx: InitContext,
): boolean {
  const inits = pod.spec?.initContainers ?? [];
  if (inits.length === 0) return true;
  const inSandbox = state.containers.filter((c) => c.sandboxId === actions.sandboxId);
  const latestIn = (name: string) => inSandbox.find((c) => c.name === name);
  const initialized = (pod.spec?.containers ?? []).some((c) => latestIn(c.name));
  for (const container of inits) {
    const latest = latestIn(container.name);
    if (isSidecar(container)) {
      if (!latest || latest.state !== "running") {
        if (latest?.state === "unknown")
          actions.containersToKill.push(unknownKill(latest, container));
        actions.initContainersToStart.push(ctx.start(container));
        if (!initialized) return false;
        continue;
      }
      const kill = runningKill(pod, container, latest, ctx);
      if (kill) {
        actions.containersToKill.push(kill.info);
        actions.initContainersToStart.push(ctx.start(container));
        if (!initialized) return false;
        continue;
      }
      const started = !container.startupProbe || ctx.probes.startup(latest.id) === "success";
      if (!started && !initialized) return false;
      continue;
    }
    if (initialized) continue;
    if (!latest) {
      actions.initContainersToStart.push(ctx.start(container));
      return false;
    }
    if (latest.state === "running") return false;
    if (latest.state === "exited" && latest.exitCode === 0) continue;
    if (latest.state === "exited" && !shouldRestartOnFailure(pod)) {
      actions.killPod = true;
      return false;
    }
    if (latest.state === "unknown") actions.containersToKill.push(unknownKill(latest, container));
    actions.initContainersToStart.push(ctx.start(container));
    return false;
  }
  return true;
}
