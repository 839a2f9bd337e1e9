import { formatAge } from "./age.js";
import { type JsonRecord, integer, optionalRecord, record, records, text } from "./json-fields.js";

/** The Ready, Status and Restarts cells of a pod, computed as kubectl's pod printer does. */
export interface PodSummary {
  ready: string; // "1/2"
  status: string; // "Running", "Init:0/1", "CrashLoopBackOff", "Terminating"…
  restarts: string; // "0", "3 (2m ago)"
}

/** The reason the node controller gives pods on a node that stopped reporting. */
const NODE_LOST = "NodeLost";

export function podSummary(pod: JsonRecord, now: Date): PodSummary {
  const spec = record(pod.spec);
  const status = record(pod.status);
  const conditions = records(status.conditions);
  const phase = text(status.phase);

  let reason = text(status.reason) || phase;
  if (conditions.some((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated")) {
    reason = "SchedulingGated";
  }

  // Sidecars (init containers that keep running) count as containers of the pod.
  const initSpecs = records(spec.initContainers);
  const sidecars = initSpecs.filter((c) => c.restartPolicy === "Always");
  const sidecarNames = new Set(sidecars.map((c) => text(c.name)));
  const total = records(spec.containers).length + sidecars.length;
  let ready = 0;

  const allRestarts = new RestartTally();
  const sidecarRestarts = new RestartTally();
  let initializing = false;
  const initStatuses = records(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i];
    const sidecar = sidecarNames.has(text(container.name));
    allRestarts.add(container);
    if (sidecar) sidecarRestarts.add(container);

    const state = record(container.state);
    const terminated = optionalRecord(state.terminated);
    const waiting = optionalRecord(state.waiting);
    if (terminated !== undefined && integer(terminated.exitCode) === 0) continue;
    if (sidecar && container.started === true) {
      if (container.ready === true) ready++;
      continue;
    }
    if (terminated !== undefined) {
      reason = `Init:${terminatedReason(terminated)}`;
    } else if (
      waiting !== undefined &&
      text(waiting.reason) !== "" &&
      waiting.reason !== "PodInitializing"
    ) {
      reason = `Init:${text(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  let restarts = allRestarts;
  if (!initializing || conditionIsTrue(conditions, "Initialized")) {
    restarts = sidecarRestarts;
    let hasRunning = false;
    // Walked last to first, so the first container's state is the one that shows.
    const statuses = records(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i];
      restarts.add(container);
      const state = record(container.state);
      const waiting = optionalRecord(state.waiting);
      const terminated = optionalRecord(state.terminated);
      if (waiting !== undefined && text(waiting.reason) !== "") {
        reason = text(waiting.reason);
      } else if (terminated !== undefined) {
        reason = terminatedReason(terminated);
      } else if (container.ready === true && optionalRecord(state.running) !== undefined) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose first container completed while another still runs is not "Completed".
    if (reason === "Completed" && hasRunning) {
      reason = conditionIsTrue(conditions, "Ready") ? "Running" : "NotReady";
    }
  }

  const deleting = text(record(pod.metadata).deletionTimestamp) !== "";
  if (deleting && status.reason === NODE_LOST) {
    reason = "Unknown";
  } else if (deleting && phase !== "Succeeded" && phase !== "Failed") {
    reason = "Terminating";
  }

  return { ready: `${ready}/${total}`, status: reason, restarts: restarts.text(now) };
}

/** "Error", "OOMKilled"…; without a reason, "Signal:9" or "ExitCode:2". */
function terminatedReason(terminated: JsonRecord): string {
  const reason = text(terminated.reason);
  if (reason !== "") return reason;
  const signal = integer(terminated.signal);
  return signal !== 0 ? `Signal:${signal}` : `ExitCode:${integer(terminated.exitCode)}`;
}

function conditionIsTrue(conditions: JsonRecord[], type: string): boolean {
  const condition = conditions.find((c) => c.type === type);
  return condition !== undefined && condition.status === "True";
}

/** Restart counts and the latest lastState.terminated.finishedAt among the containers added. */
class RestartTally {
  private count = 0;
  private lastFinishedMs = Number.NEGATIVE_INFINITY;
  private lastFinished: string | undefined;

  add(containerStatus: JsonRecord): void {
    this.count += integer(containerStatus.restartCount);
    const finishedAt = text(record(record(containerStatus.lastState).terminated).finishedAt);
    const ms = Date.parse(finishedAt);
    if (!Number.isNaN(ms) && ms > this.lastFinishedMs) {
      this.lastFinishedMs = ms;
      this.lastFinished = finishedAt;
    }
  }

  /** "3", or "3 (2m ago)" once a restart has a finish time. */
  text(now: Date): string {
    if (this.count === 0 || this.lastFinished === undefined) return String(this.count);
    return `${this.count} (${formatAge(this.lastFinished, now)} ago)`;
  }
}
