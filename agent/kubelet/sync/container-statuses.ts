import type { Container, ContainerState, ContainerStatus, Pod } from "../../kube/types.js";
import { shouldContainerBeRestarted } from "./restart-rules.js";
import type { RuntimePod } from "./runtime-pod.js";
import type { ProbeResultsPort } from "./sync-ports.js";
import { fromRuntime, runtimeState } from "./runtime-container-status.js";

/** Why a container is not running now, as the last sync found: ErrImagePull, CrashLoopBackOff… */
export interface ContainerReason {
  reason: string;
  message: string;
}

export { apiContainerId } from "./runtime-container-status.js";

export interface ContainerStatusInput {
  pod: Pod;
  runtime: RuntimePod;
  containers: Container[];
  previous: ContainerStatus[];
  reasons: ReadonlyMap<string, ContainerReason>;
  probes: ProbeResultsPort;
  init: boolean;
}

/**
 * kubelet's convertToAPIContainerStatuses for one list (app or init containers), in spec order:
 * each starts as the previous status (or ContainerCreating / PodInitializing), the newest runtime
 * instance gives `state` and the one before `lastState`, a container that vanished while running
 * shows as terminated with ContainerStatusUnknown, and one waiting for a restart shows the reason
 * its last start failed.
 */
export function toApiContainerStatuses(input: ContainerStatusInput): ContainerStatus[] {
  const { pod, runtime } = input;
  const hasInits = (pod.spec?.initContainers ?? []).length > 0;
  const defaultWaiting: ContainerState = {
    waiting: { reason: hasInits ? "PodInitializing" : "ContainerCreating" },
  };
  const old = new Map(input.previous.map((s) => [s.name, s]));
  return input.containers.map((container) => {
    const previous = old.get(container.name);
    const instances = runtime.containers.filter((c) => c.name === container.name).slice(0, 2);
    let status: ContainerStatus = baseStatus(container, previous, defaultWaiting);
    if (instances.length === 0) {
      status = vanished(pod, status, previous, defaultWaiting);
    } else {
      status = fromRuntime(instances[0], container, previous, input);
      if (instances[1]) status.lastState = runtimeState(instances[1], undefined);
      else if (previous?.lastState && previous.containerID === status.containerID) {
        status.lastState = previous.lastState;
      }
    }
    return withRestartReason(status, container, input);
  });
}

function baseStatus(
  container: Container,
  previous: ContainerStatus | undefined,
  defaultWaiting: ContainerState,
): ContainerStatus {
  if (previous?.state?.terminated) return structuredClone(previous);
  return {
    name: container.name,
    state: defaultWaiting,
    lastState: structuredClone(previous?.lastState ?? {}),
    ready: false,
    restartCount: previous?.restartCount ?? 0,
    image: container.image ?? "",
    imageID: "",
    started: false,
  };
}

/** A container that was running and is gone from the runtime without an exit status. */
function vanished(
  pod: Pod,
  status: ContainerStatus,
  previous: ContainerStatus | undefined,
  defaultWaiting: ContainerState,
): ContainerStatus {
  if (!previous?.state?.running) return status;
  if (status.state?.waiting?.reason !== defaultWaiting.waiting?.reason) return status;
  if (status.lastState?.terminated) return status;
  status.lastState = {
    terminated: {
      exitCode: 137,
      reason: "ContainerStatusUnknown",
      message:
        "The container could not be located when the pod was deleted.  The container used to be Running",
    },
  };
  if (!pod.metadata?.deletionTimestamp) status.restartCount += 1;
  return status;
}

/** A container the next sync will (re)start shows why it is not running, when a start failed. */
function withRestartReason(
  status: ContainerStatus,
  container: Container,
  input: ContainerStatusInput,
): ContainerStatus {
  const latest = input.runtime.containers.find((c) => c.name === container.name);
  if (input.init && latest?.state === "exited" && latest.exitCode === 0) return status;
  if (!shouldContainerBeRestarted(input.pod, container, input.runtime)) return status;
  const reason = input.reasons.get(container.name);
  if (!reason) return status;
  if (status.state?.terminated) status.lastState = status.state;
  status.state = { waiting: { reason: reason.reason, message: reason.message } };
  return status;
}
