import type { ContainerStatus, Pod, PodCondition, PodStatus } from "../../kube/types.js";
import { isSidecar } from "./restart-rules.js";

type Phase = NonNullable<PodStatus["phase"]>;
type Condition = Omit<PodCondition, "lastTransitionTime" | "lastProbeTime">;

/** The conditions the kubelet owns; every other condition on the pod is kept as it is. */
export const kubeletConditionTypes = new Set([
  "PodScheduled",
  "PodReadyToStartContainers",
  "Initialized",
  "ContainersReady",
  "Ready",
]);

/** kubelet's message format for a list of names: "[a b]". */
function names(list: string[]): string {
  return `[${list.join(" ")}]`;
}

export function containersReadyCondition(
  pod: Pod,
  statuses: ContainerStatus[],
  phase: Phase,
): Condition {
  const byName = new Map(statuses.map((s) => [s.name, s]));
  const unknown: string[] = [];
  const unready: string[] = [];
  const watched = [
    ...(pod.spec?.initContainers ?? []).filter(isSidecar),
    ...(pod.spec?.containers ?? []),
  ];
  for (const c of watched) {
    const s = byName.get(c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  const type = "ContainersReady";
  if (phase === "Succeeded" && unknown.length === 0)
    return { type, status: "False", reason: "PodCompleted" };
  if (phase === "Failed") return { type, status: "False", reason: "PodFailed" };
  const messages: string[] = [];
  if (unknown.length > 0) messages.push(`containers with unknown status: ${names(unknown)}`);
  if (unready.length > 0) messages.push(`containers with unready status: ${names(unready)}`);
  if (messages.length > 0) {
    return { type, status: "False", reason: "ContainersNotReady", message: messages.join(", ") };
  }
  return { type, status: "True" };
}

export function readyCondition(containersReady: Condition): Condition {
  return { ...containersReady, type: "Ready" };
}

export function initializedCondition(
  pod: Pod,
  statuses: ContainerStatus[],
  phase: Phase,
): Condition {
  const type = "Initialized";
  const byName = new Map(statuses.map((s) => [s.name, s]));
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of pod.spec?.initContainers ?? []) {
    const s = byName.get(c.name);
    if (!s) unknown.push(c.name);
    else if (isSidecar(c) ? !s.started : !s.ready) incomplete.push(c.name);
  }
  if (phase === "Succeeded" && unknown.length === 0)
    return { type, status: "True", reason: "PodCompleted" };
  const appStarted = (pod.spec?.containers ?? []).some((c) => {
    const s = byName.get(c.name);
    return (
      !!s &&
      (s.state?.running !== undefined ||
        s.state?.terminated !== undefined ||
        !!s.lastState?.terminated)
    );
  });
  if (appStarted) return { type, status: "True" };
  const messages: string[] = [];
  if (unknown.length > 0) messages.push(`containers with unknown status: ${names(unknown)}`);
  if (incomplete.length > 0)
    messages.push(`containers with incomplete status: ${names(incomplete)}`);
  if (messages.length > 0) {
    return {
      type,
      status: "False",
      reason: "ContainersNotInitialized",
      message: messages.join(", "),
    };
  }
  return { type, status: "True" };
}

/** Conditions as kubelet's status manager keeps them: the transition time moves only on a change. */
export function withTransitionTimes(
  conditions: Condition[],
  previous: PodCondition[] | undefined,
  now: string,
): PodCondition[] {
  return conditions.map((c) => {
    const old = previous?.find((p) => p.type === c.type);
    const lastTransitionTime =
      old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now;
    return { ...c, lastProbeTime: null, lastTransitionTime };
  });
}
