import type { Container, Pod } from "../../kube/types.js";
import { containerBackoffKey, type BackoffView } from "./backoff.js";
import { computeInitActions } from "./init-actions.js";
import { runningKill, unknownKill, type ContainerToKill } from "./container-kills.js";

export type { ContainerToKill, KillReason } from "./container-kills.js";
import { shouldContainerBeRestarted, shouldRestartOnFailure } from "./restart-rules.js";
import { latestContainer, type RuntimeContainer, type RuntimePod } from "./runtime-pod.js";
import { podSandboxChanged } from "./sandbox-changed.js";
import type { ProbeResultsPort } from "./sync-ports.js";

export interface ContainerToStart {
  container: Container;
  /** Set when a crash-loop back-off holds the restart: when it ends (epoch ms) and its delay. */
  backOff?: { readyAt: number; delayMs: number };
  /** The exit it restarts after, to record in the back-off once it does. */
  lastExit?: RuntimeContainer;
}

/** What one sync must do to bring the runtime to the pod's spec (kubelet's podActions). */
export interface PodActions {
  /** Stop every container and the sandbox (before a new sandbox, or when the pod is done). */
  killPod: boolean;
  createSandbox: boolean;
  /** The current sandbox (the one to start containers in unless a new one is made). */
  sandboxId: string;
  attempt: number;
  initContainersToStart: ContainerToStart[];
  containersToStart: ContainerToStart[];
  containersToKill: ContainerToKill[];
}

export interface ActionContext {
  /** The spec hash a container created now would carry (containerHash). */
  hash(container: Container): string;
  probes: ProbeResultsPort;
  backoff: BackoffView;
}

/** kubelet's computePodActions, pure: the sandbox first, then init containers in order, then the app. */
export function computePodActions(pod: Pod, state: RuntimePod, ctx: ActionContext): PodActions {
  const sandbox = podSandboxChanged(pod, state);
  const actions: PodActions = {
    killPod: sandbox.changed,
    createSandbox: sandbox.changed,
    sandboxId: sandbox.sandboxId,
    attempt: sandbox.attempt,
    initContainersToStart: [],
    containersToStart: [],
    containersToKill: [],
  };
  const spec = pod.spec?.containers ?? [];
  const inits = pod.spec?.initContainers ?? [];
  const start = (c: Container) => startOf(pod, c, state, ctx.backoff);
  if (sandbox.changed) {
    // Everything starts over in a new sandbox, unless the pod already ran to completion.
    const toStart = spec.filter(
      (c) => !(pod.spec?.restartPolicy === "OnFailure" && succeeded(state, c.name)),
    );
    const ranBefore = state.containers.length > 0;
    const appCreated = spec.some((c) => latestContainer(state, c.name));
    if (
      (!shouldRestartOnFailure(pod) && sandbox.attempt > 0 && ranBefore) ||
      (toStart.length === 0 && appCreated)
    ) {
      actions.createSandbox = false;
      return actions;
    }
    if (inits.length > 0) actions.initContainersToStart = [start(inits[0])];
    else actions.containersToStart = toStart.map(start);
    return actions;
  }
  killUnknownNames(pod, state, actions);
  const initialized = computeInitActions(pod, state, actions, { ...ctx, start });
  if (actions.killPod || !initialized) return actions;
  let keep = 0;
  for (const container of spec) {
    const latest = latestContainer(state, container.name);
    if (!latest || latest.state !== "running") {
      if (shouldContainerBeRestarted(pod, container, state)) {
        actions.containersToStart.push(start(container));
        if (latest?.state === "unknown")
          actions.containersToKill.push(unknownKill(latest, container));
      }
      continue;
    }
    const kill = runningKill(pod, container, latest, ctx);
    if (!kill) {
      keep++;
      continue;
    }
    if (kill.restart) actions.containersToStart.push(start(container));
    actions.containersToKill.push(kill.info);
  }
  if (keep === 0 && actions.containersToStart.length === 0) {
    actions.killPod = true;
    // Sidecars must not keep a finished pod alive.
    actions.initContainersToStart = [];
  }
  return actions;
}

/** A container to start, held back while its crash-loop back-off runs. */
function startOf(
  pod: Pod,
  container: Container,
  state: RuntimePod,
  backoff: BackoffView,
): ContainerToStart {
  const lastExit = state.containers.find((c) => c.name === container.name && c.state === "exited");
  if (!lastExit) return { container };
  const key = containerBackoffKey(pod.metadata?.uid ?? "", container.name);
  const eventTime = lastExit.finishedAt ?? lastExit.createdAt;
  if (!backoff.isInBackOffSince(key, eventTime)) return { container, lastExit };
  const delayMs = backoff.delayMs(key);
  return { container, lastExit, backOff: { readyAt: eventTime + delayMs, delayMs } };
}

function succeeded(state: RuntimePod, name: string): boolean {
  const latest = latestContainer(state, name);
  return latest?.state === "exited" && latest.exitCode === 0;
}

/** Running containers whose name the pod's spec no longer has. */
function killUnknownNames(pod: Pod, state: RuntimePod, actions: PodActions): void {
  const names = new Set(
    [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name),
  );
  for (const c of state.containers) {
    if (names.has(c.name) || (c.state !== "running" && c.state !== "unknown")) continue;
    const message = `Container ${c.name} is not in the pod's spec`;
    actions.containersToKill.push({ id: c.id, name: c.name, message, reason: "NotInSpec" });
  }
}
