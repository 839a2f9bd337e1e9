import type { Container, Pod } from "../../kube/types.js";
import type { PodSandboxConfig } from "../../../proto/gen/runtime/v1/PodSandboxConfig.js";
import type { ContainerReason } from "./container-statuses.js";
import { killContainer, killPod, specOf } from "./container-killer.js";
import { startContainer, type StartContext } from "./container-starter.js";
import { computePodActions, type PodActions } from "./pod-actions.js";
import { isSidecar } from "./restart-rules.js";
import type { RuntimePod } from "./runtime-pod.js";
import { errorMessage, podRef, recordAll, type SyncDeps } from "./sync-deps.js";
import type { HostVolume } from "./sync-ports.js";

/** How long to wait before retrying a sync that could not make progress (volumes, sandbox). */
export const failedSyncRetryMs = 5_000;

export interface SyncOutcome {
  /** When the pod needs another sync at the latest (epoch ms): a back-off ending, a retry. */
  retryAt?: number;
}

/**
 * One pass of kubelet's SyncPod for a pod that should run: volumes, then the actions computed from
 * the runtime — kill what must go, a new sandbox if needed, init containers in order, then the app
 * containers. The status is computed by the caller from the runtime afterwards.
 */
export async function syncPod(
  deps: SyncDeps,
  pod: Pod,
  state: RuntimePod,
  reasons: Map<string, ContainerReason>,
): Promise<SyncOutcome> {
  let volumes: ReadonlyMap<string, HostVolume>;
  try {
    volumes = await deps.volumes.setUp(pod);
  } catch (err) {
    deps.api.recordEvent(podRef(pod), "Warning", "FailedMount", errorMessage(err));
    return { retryAt: deps.now() + failedSyncRetryMs };
  }
  const actions = computePodActions(pod, state, {
    hash: (c) => deps.spec.containerHash(c),
    probes: deps.probes,
    backoff: deps.crashBackoff,
  });
  if (actions.createSandbox && actions.sandboxId) {
    const message = "Pod sandbox changed, it will be killed and re-created.";
    deps.api.recordEvent(podRef(pod), "Normal", "SandboxChanged", message);
  }
  await applyKills(deps, pod, state, actions);
  let sandboxId = actions.sandboxId;
  let podIPs = state.ips;
  let sandboxConfig: PodSandboxConfig;
  try {
    const made = await deps.spec.sandboxConfig(pod, actions.attempt);
    sandboxConfig = made.config;
    if (actions.createSandbox) {
      recordAll(deps, podRef(pod), made.events);
      sandboxId = (await deps.runtime.runPodSandbox({ config: sandboxConfig })).pod_sandbox_id;
      podIPs = await sandboxIps(deps, sandboxId);
      await removeOldSandboxes(deps, state);
    }
  } catch (err) {
    const message = `Failed to create pod sandbox: ${errorMessage(err)}`;
    deps.api.recordEvent(podRef(pod), "Warning", "FailedCreatePodSandBox", message);
    return { retryAt: deps.now() + failedSyncRetryMs };
  }
  if (!actions.createSandbox && !sandboxId) return {};
  const ctx: StartContext = { pod, state, sandboxId, sandboxConfig, podIPs, volumes, reasons };
  const retries: number[] = [];
  for (const toStart of actions.initContainersToStart) {
    const outcome = await startContainer(deps, ctx, toStart);
    if (!outcome.started) retries.push(retryAfter(deps, outcome));
    if (!outcome.started && !isSidecar(toStart.container)) return retryOutcome(retries);
  }
  for (const toStart of actions.containersToStart) {
    const outcome = await startContainer(deps, ctx, toStart);
    if (!outcome.started) retries.push(retryAfter(deps, outcome));
  }
  await pruneDeadContainers(deps, state);
  return retryOutcome(retries);
}

/**
 * Dead instances beyond the newest two of each container are removed (kubelet's container GC
 * keeps one dead instance besides the current one: enough for lastState and `logs --previous`).
 */
async function pruneDeadContainers(deps: SyncDeps, state: RuntimePod) {
  const seen = new Map<string, number>();
  const gone = [];
  for (const c of state.containers) {
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    if (n > 2 && c.state === "exited") gone.push(c);
  }
  for (const c of gone) await deps.runtime.removeContainer({ container_id: c.id });
  deps.inspector.forget(gone.map((c) => c.id));
}

/**
 * When to try a container that did not start again: when its crash-loop back-off ends, else
 * (a failed pull, config, create or start) soon, as kubelet requeues a pod whose sync failed —
 * the image back-off then shows as ImagePullBackOff, and a missing ConfigMap or Secret is
 * found once it exists without waiting for the periodic resync.
 */
function retryAfter(deps: SyncDeps, outcome: { retryAt?: number }): number {
  return outcome.retryAt ?? deps.now() + failedSyncRetryMs;
}

function retryOutcome(retries: number[]): SyncOutcome {
  return retries.length > 0 ? { retryAt: Math.min(...retries) } : {};
}

async function applyKills(deps: SyncDeps, pod: Pod, state: RuntimePod, actions: PodActions) {
  if (actions.killPod) {
    await killPod(deps, pod, state, pod.spec?.terminationGracePeriodSeconds ?? 30);
    // A new sandbox runs the init containers again from the first.
    if (actions.createSandbox) await purgeInitContainers(deps, pod, state);
    return;
  }
  await Promise.all(
    actions.containersToKill.map((k) =>
      killContainer(deps, pod, {
        containerId: k.id,
        name: k.name,
        container: k.container ?? specOf(pod, k.name),
        graceSeconds: killGrace(pod, k.reason, k.container),
        message: k.message,
      }),
    ),
  );
}

/** A probe's own terminationGracePeriodSeconds wins for kills it caused. */
function killGrace(pod: Pod, reason: string, container: Container | undefined): number {
  const probe =
    reason === "LivenessProbe"
      ? container?.livenessProbe
      : reason === "StartupProbe"
        ? container?.startupProbe
        : undefined;
  return probe?.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
}

async function purgeInitContainers(deps: SyncDeps, pod: Pod, state: RuntimePod) {
  const inits = new Set((pod.spec?.initContainers ?? []).map((c) => c.name));
  const gone = state.containers.filter((c) => inits.has(c.name));
  for (const c of gone) await deps.runtime.removeContainer({ container_id: c.id });
  deps.inspector.forget(gone.map((c) => c.id));
}

/** Sandboxes older than the one just replaced are removed (the replaced one keeps the last exits). */
async function removeOldSandboxes(deps: SyncDeps, state: RuntimePod) {
  for (const old of state.sandboxes.slice(1)) {
    const gone = state.containers.filter((c) => c.sandboxId === old.id);
    await deps.runtime.removePodSandbox({ pod_sandbox_id: old.id });
    deps.inspector.forget(gone.map((c) => c.id));
  }
}

async function sandboxIps(deps: SyncDeps, sandboxId: string): Promise<string[]> {
  const { status } = await deps.runtime.podSandboxStatus({ pod_sandbox_id: sandboxId });
  const network = status?.network;
  return network?.ip ? [network.ip, ...network.additional_ips.map((a) => a.ip)] : [];
}
