import { kubeTime } from "../../kube/kube-time.js";
import type { NodeCondition } from "../../kube/types.js";
import type { NodePressure } from "./node-pressure.js";

/** What the sync layer knows about the runtime and the pod network. */
export interface NodeReadiness {
  runtime: { ready: boolean; message?: string };
  network: { ready: boolean; message?: string };
}

export interface ObservedNodeState {
  readiness: NodeReadiness;
  pressure: NodePressure;
}

interface Verdict {
  type: string;
  status: "True" | "False";
  reason: string;
  message: string;
  /** The event kubelet records when the condition becomes this. */
  event: string;
}

function pressureVerdict(
  type: string,
  under: boolean,
  [goodReason, goodMessage, goodEvent]: [string, string, string],
  [badReason, badMessage, badEvent]: [string, string, string],
): Verdict {
  return under
    ? { type, status: "True", reason: badReason, message: badMessage, event: badEvent }
    : { type, status: "False", reason: goodReason, message: goodMessage, event: goodEvent };
}

/** The four conditions kubelet reports, in kubelet's order, for what was observed. */
function verdicts({ readiness, pressure }: ObservedNodeState): Verdict[] {
  const problems = [
    ...(readiness.runtime.ready
      ? []
      : [`container runtime is down: ${readiness.runtime.message ?? "not ready"}`]),
    ...(readiness.network.ready
      ? []
      : [`container runtime network not ready: ${readiness.network.message ?? "not ready"}`]),
  ];
  return [
    pressureVerdict(
      "MemoryPressure",
      pressure.memory,
      [
        "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available",
        "NodeHasSufficientMemory",
      ],
      [
        "KubeletHasInsufficientMemory",
        "kubelet has insufficient memory available",
        "NodeHasInsufficientMemory",
      ],
    ),
    pressureVerdict(
      "DiskPressure",
      pressure.disk,
      ["KubeletHasNoDiskPressure", "kubelet has no disk pressure", "NodeHasNoDiskPressure"],
      ["KubeletHasDiskPressure", "kubelet has disk pressure", "NodeHasDiskPressure"],
    ),
    pressureVerdict(
      "PIDPressure",
      pressure.pid,
      ["KubeletHasSufficientPID", "kubelet has sufficient PID available", "NodeHasSufficientPID"],
      [
        "KubeletHasInsufficientPID",
        "kubelet has insufficient PID available",
        "NodeHasInsufficientPID",
      ],
    ),
    problems.length === 0
      ? {
          type: "Ready",
          status: "True",
          reason: "KubeletReady",
          message: "kubelet is posting ready status",
          event: "NodeReady",
        }
      : {
          type: "Ready",
          status: "False",
          reason: "KubeletNotReady",
          message: problems.length === 1 ? problems[0] : `[${problems.join(", ")}]`,
          event: "NodeNotReady",
        },
  ];
}

export interface ConditionUpdate {
  conditions: NodeCondition[];
  /** Event reasons for conditions that are new or changed status (NodeReady, NodeHasDiskPressure…). */
  events: string[];
}

/**
 * The node's conditions now: every heartbeat time is `now`; a transition time moves only when
 * the condition's status changes (or it is new), as kubelet's status setters do.
 */
export function nextConditions(
  previous: NodeCondition[] | undefined,
  observed: ObservedNodeState,
  now: Date,
): ConditionUpdate {
  const at = kubeTime(now);
  const events: string[] = [];
  const conditions = verdicts(observed).map((v): NodeCondition => {
    const before = previous?.find((c) => c.type === v.type);
    const changed = before?.status !== v.status;
    if (changed) events.push(v.event);
    return {
      type: v.type,
      status: v.status,
      reason: v.reason,
      message: v.message,
      lastHeartbeatTime: at,
      lastTransitionTime: changed || !before?.lastTransitionTime ? at : before.lastTransitionTime,
    };
  });
  return { conditions, events };
}

/** True when the conditions differ in anything but their heartbeat times. */
export function conditionsChanged(
  a: NodeCondition[] | undefined,
  b: NodeCondition[] | undefined,
): boolean {
  const essence = (list: NodeCondition[] | undefined) =>
    JSON.stringify(
      (list ?? []).map((c) => [c.type, c.status, c.reason, c.message, c.lastTransitionTime]),
    );
  return essence(a) !== essence(b);
}
