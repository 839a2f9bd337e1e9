import { kubeTime } from "../../kube/kube-time.js";
import type { Container, ContainerState, ContainerStatus } from "../../kube/types.js";
import type { RuntimeContainer } from "./runtime-pod.js";
import type { ProbeResultsPort } from "./sync-ports.js";

/** The runtime id as the API shows it. */
export function apiContainerId(id: string): string {
  return `berth://${id}`;
}

/**
 * One runtime instance as an API container status: its state, restart count, ids, and whether it
 * has started (startup probe passed) and is ready (readiness probe passed; a regular init
 * container is ready once it exited 0).
 */
export function fromRuntime(
  c: RuntimeContainer,
  container: Container,
  previous: ContainerStatus | undefined,
  input: { init: boolean; probes: ProbeResultsPort },
): ContainerStatus {
  const status: ContainerStatus = {
    name: container.name,
    state: runtimeState(c, previous),
    lastState: {},
    ready: false,
    restartCount: c.restartCount,
    image: c.image || container.image || "",
    imageID: c.imageRef,
    containerID: apiContainerId(c.id),
    started: false,
  };
  if (c.state === "unknown" && previous?.state?.running)
    status.restartCount = previous.restartCount + 1;
  const running = c.state === "running";
  if (input.init && !container.restartPolicy) {
    status.ready = c.state === "exited" && c.exitCode === 0;
    status.started = running;
    return status;
  }
  const { probes } = input;
  status.started = running && (!container.startupProbe || probes.startup(c.id) === "success");
  status.ready =
    status.started && (!container.readinessProbe || probes.readiness(c.id) === "success");
  return status;
}

export function runtimeState(
  c: RuntimeContainer,
  previous: ContainerStatus | undefined,
): ContainerState {
  switch (c.state) {
    case "running":
      return { running: { startedAt: time(c.startedAt ?? c.createdAt) } };
    case "exited":
      return {
        terminated: {
          exitCode: c.exitCode,
          reason: c.reason || (c.exitCode === 0 ? "Completed" : "Error"),
          ...(c.message ? { message: c.message } : {}),
          ...(c.startedAt ? { startedAt: time(c.startedAt) } : {}),
          ...(c.finishedAt ? { finishedAt: time(c.finishedAt) } : {}),
          containerID: apiContainerId(c.id),
        },
      };
    case "unknown":
      if (previous?.state?.running) {
        return {
          terminated: {
            exitCode: 137,
            reason: "ContainerStatusUnknown",
            message: "The container could not be located when the pod was terminated",
          },
        };
      }
      return { waiting: {} };
    default:
      return { waiting: {} };
  }
}

function time(ms: number): string {
  return kubeTime(new Date(ms));
}
