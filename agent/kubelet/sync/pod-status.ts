import { kubeTime } from "../../kube/kube-time.js";
import type { ContainerStatus, Pod, PodCondition, PodStatus } from "../../kube/types.js";
import { toApiContainerStatuses, type ContainerReason } from "./container-statuses.js";
import {
  containersReadyCondition,
  initializedCondition,
  kubeletConditionTypes,
  readyCondition,
  withTransitionTimes,
} from "./pod-conditions.js";
import { podPhase } from "./pod-phase.js";
import type { RuntimePod } from "./runtime-pod.js";
import { podSandboxChanged } from "./sandbox-changed.js";
import type { ProbeResultsPort } from "./sync-ports.js";

export interface PodStatusInput {
  pod: Pod;
  runtime: RuntimePod;
  /** The status the kubelet last computed for the pod, if any (else the API's is the base). */
  previous?: PodStatus;
  /** Why each container's last start failed, by container name. */
  reasons: ReadonlyMap<string, ContainerReason>;
  probes: ProbeResultsPort;
  /** The node's IPs, primary first. */
  hostIPs: string[];
  qosClass: NonNullable<PodStatus["qosClass"]>;
  /** The pod is being terminated (deleted, or done): its phase becomes Succeeded or Failed. */
  podIsTerminal: boolean;
  now: Date;
}

const terminal = (phase: PodStatus["phase"]) => phase === "Succeeded" || phase === "Failed";

/** kubelet's generateAPIPodStatus: the status the API should show for the pod, from the runtime. */
export function generatePodStatus(input: PodStatusInput): PodStatus {
  const { pod, runtime } = input;
  const apiStatus = pod.status ?? {};
  const old = input.previous ?? apiStatus;
  const now = kubeTime(input.now);
  const common = { pod, runtime, reasons: input.reasons, probes: input.probes };
  const containerStatuses = toApiContainerStatuses({
    ...common,
    containers: pod.spec?.containers ?? [],
    previous: old.containerStatuses ?? [],
    init: false,
  });
  const initContainerStatuses = toApiContainerStatuses({
    ...common,
    containers: pod.spec?.initContainers ?? [],
    previous: old.initContainerStatuses ?? [],
    init: true,
  });
  const all = [...containerStatuses, ...initContainerStatuses];
  const appRunning = (pod.spec?.containers ?? []).some((c) =>
    runtime.containers.some((r) => r.name === c.name && r.state === "running"),
  );
  let phase = podPhase(pod, all, input.podIsTerminal, appRunning);
  if (!terminal(phase) && terminal(old.phase)) phase = old.phase!;
  if (!terminal(phase) && terminal(apiStatus.phase)) phase = apiStatus.phase!;
  if (terminal(apiStatus.phase)) phase = apiStatus.phase!;

  const status: PodStatus = { phase };
  if (phase === old.phase) {
    const reason = old.reason || apiStatus.reason;
    const message = old.message || apiStatus.message;
    if (reason) status.reason = reason;
    if (message) status.message = message;
  }
  status.conditions = conditions(
    input,
    [...initContainerStatuses, ...containerStatuses],
    phase,
    old,
    now,
  );
  if (input.hostIPs.length > 0) {
    status.hostIP = input.hostIPs[0];
    status.hostIPs = input.hostIPs.slice(0, 2).map((ip) => ({ ip }));
  }
  const podIPs = podIps(input, old);
  if (podIPs.length > 0) {
    status.podIP = podIPs[0];
    status.podIPs = podIPs.map((ip) => ({ ip }));
  }
  status.startTime = old.startTime ?? apiStatus.startTime ?? now;
  status.qosClass = input.qosClass;
  if (initContainerStatuses.length > 0) status.initContainerStatuses = initContainerStatuses;
  status.containerStatuses = containerStatuses;
  return status;
}

function conditions(
  input: PodStatusInput,
  statuses: ContainerStatus[],
  phase: NonNullable<PodStatus["phase"]>,
  old: PodStatus,
  now: string,
): PodCondition[] {
  const { pod } = input;
  const others = (pod.status?.conditions ?? []).filter((c) => !kubeletConditionTypes.has(c.type));
  const sandboxReady = !podSandboxChanged(pod, input.runtime).changed;
  const containersReady = containersReadyCondition(pod, statuses, phase);
  const scheduled = (pod.status?.conditions ?? []).find((c) => c.type === "PodScheduled");
  const owned = withTransitionTimes(
    [
      { type: "PodReadyToStartContainers", status: sandboxReady ? "True" : "False" },
      initializedCondition(pod, statuses, phase),
      readyCondition(containersReady),
      containersReady,
    ],
    old.conditions,
    now,
  );
  const podScheduled =
    scheduled ??
    withTransitionTimes([{ type: "PodScheduled", status: "True" }], old.conditions, now)[0];
  return [...others, ...owned, podScheduled];
}

/**
 * The sandbox's IPs; a host-network pod has the node's. Once set they stay while the sandbox is
 * gone (a stopped pod keeps the IP it had, as the API expects).
 */
function podIps(input: PodStatusInput, old: PodStatus): string[] {
  const hostNetwork = input.pod.spec?.hostNetwork === true;
  const ips = hostNetwork ? input.hostIPs.slice(0, 2) : input.runtime.ips;
  if (ips.length > 0) return ips;
  const kept = (old.podIPs ?? []).map((p) => p.ip).filter((ip) => ip !== "");
  if (kept.length > 0) return kept;
  return old.podIP ? [old.podIP] : [];
}
