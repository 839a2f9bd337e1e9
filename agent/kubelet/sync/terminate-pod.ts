import type { Pod, PodStatus } from "../../kube/types.js";
import { BerthError } from "../../../lib/errors.js";
import type { ContainerReason } from "./container-statuses.js";
import { killPod, podGraceSeconds, removePodFromRuntime } from "./container-killer.js";
import { generatePodStatus } from "./pod-status.js";
import type { RuntimePod } from "./runtime-pod.js";
import type { SyncDeps } from "./sync-deps.js";

/** A delete that finds the pod gone, or another pod under its name (uid precondition). */
const goneKinds = new Set(["NotFound", "FailedPrecondition", "Aborted"]);

/** The pod's status as the runtime shows it now, handed to the status manager. */
export function reportStatus(
  deps: SyncDeps,
  pod: Pod,
  state: RuntimePod,
  reasons: ReadonlyMap<string, ContainerReason>,
  podIsTerminal: boolean,
): PodStatus {
  const uid = pod.metadata?.uid ?? "";
  const status = generatePodStatus({
    pod,
    runtime: state,
    previous: deps.status.get(uid),
    reasons,
    probes: deps.probes,
    hostIPs: deps.hostIPs(),
    qosClass: deps.spec.qosClass(pod),
    podIsTerminal,
    now: new Date(deps.now()),
  });
  deps.status.set(pod, status);
  return status;
}

/**
 * A pod that ran to completion (Succeeded or Failed, not deleted): whatever still runs is stopped,
 * the sandbox too, and the volumes are torn down; the dead containers stay for their logs.
 */
export async function stopFinishedPod(
  deps: SyncDeps,
  pod: Pod,
  reasons: Map<string, ContainerReason>,
) {
  const uid = pod.metadata?.uid ?? "";
  await killPod(
    deps,
    pod,
    await deps.inspector.inspect(uid),
    pod.spec?.terminationGracePeriodSeconds ?? 30,
  );
  await deps.volumes.tearDown(uid);
  reportStatus(deps, pod, await deps.inspector.inspect(uid), reasons, true);
}

/**
 * kubelet's termination of a deleted pod: stop its containers within the grace period, stop its
 * sandbox, write its final status, remove it from the runtime, tear its volumes down, then delete
 * it from the API (grace 0, uid precondition) to say the node is done with it.
 */
export async function terminateDeletedPod(
  deps: SyncDeps,
  pod: Pod,
  reasons: Map<string, ContainerReason>,
) {
  const m = pod.metadata ?? {};
  const uid = m.uid ?? "";
  await killPod(deps, pod, await deps.inspector.inspect(uid), podGraceSeconds(pod));
  const state = await deps.inspector.inspect(uid);
  reportStatus(deps, pod, state, reasons, true);
  await deps.status.flush(uid);
  await cleanUp(deps, uid, state);
  try {
    await deps.api.deletePod(m.namespace ?? "", m.name ?? "", uid);
  } catch (err) {
    // Already gone (or replaced by a pod of the same name): nothing left to confirm.
    if (!(err instanceof BerthError && goneKinds.has(err.kind))) throw err;
  }
  deps.status.forget(uid);
}

/**
 * A pod the API no longer has (deleted with grace 0, or deleted while the agent was down): its
 * containers are stopped with the grace period it last had, then everything is removed.
 */
export async function cleanUpRemovedPod(deps: SyncDeps, pod: Pod) {
  const uid = pod.metadata?.uid ?? "";
  const state = await deps.inspector.inspect(uid);
  const grace = pod.spec ? podGraceSeconds(pod) : undefined;
  await killPod(deps, pod, state, grace);
  await cleanUp(deps, uid, await deps.inspector.inspect(uid));
  deps.status.forget(uid);
}

async function cleanUp(deps: SyncDeps, uid: string, state: RuntimePod) {
  await removePodFromRuntime(deps, state);
  await deps.volumes.tearDown(uid);
  deps.crashBackoff.forgetPrefix(`${uid}/`);
  deps.images.forgetPod(uid);
  deps.logger.info("pod removed from the node", { pod: uid });
}
