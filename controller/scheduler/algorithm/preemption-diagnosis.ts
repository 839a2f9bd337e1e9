import { filterReasons, passed, preemptionMightHelp, runResolvableFilters } from "./filters.js";
import { countReason, fitErrorMessage, type ReasonHistogram } from "./fit-error.js";
import { addToUsage, copyUsage, type NodeState } from "./node-state.js";
import type { PodProfile } from "./pod-profile.js";

// What DefaultPreemption (kube-scheduler 1.32) would write after "preemption:". Berth does not
// evict, but the text must say whether evicting lower-priority pods could make room: nodes
// rejected for unresolvable reasons are "not helpful", nodes without lower-priority pods have
// "No preemption victims", and otherwise the node is re-checked with those pods gone.

export const notHelpful = "Preemption is not helpful for scheduling";
export const noVictims = "No preemption victims found for incoming pod";
export const notEligible = "not eligible due to preemptionPolicy=Never.";

export interface RejectedNode {
  node: NodeState;
  code: number;
}

/**
 * The PostFilter message, or undefined when some node would fit once its lower-priority pods
 * were evicted (kube-scheduler then nominates that node and adds no preemption text).
 */
export function preemptionMessage(
  pod: PodProfile,
  rejected: readonly RejectedNode[],
  numAllNodes: number,
): string | undefined {
  if (pod.preemptNever) return `preemption: ${notEligible}`;
  const histogram: ReasonHistogram = new Map();
  for (const { node, code } of rejected) {
    if (!preemptionMightHelp(code)) {
      countReason(histogram, notHelpful);
      continue;
    }
    const reasons = reasonsWithoutVictims(pod, node);
    if (reasons === undefined) return undefined;
    for (const reason of reasons) countReason(histogram, reason);
  }
  // Nodes never filtered (outside a PreFilter's node set) count as not helpful too.
  const absent = numAllNodes - rejected.length;
  if (absent > 0) countReason(histogram, notHelpful, absent);
  return `preemption: ${fitErrorMessage(numAllNodes, histogram)}`;
}

// SelectVictimsOnNode: remove every lower-priority pod, then filter again.
function reasonsWithoutVictims(pod: PodProfile, node: NodeState): string[] | undefined {
  const usage = copyUsage(node.usage);
  let victims = 0;
  for (const other of node.pods.values()) {
    if (other.priority < pod.priority) {
      addToUsage(usage, other, -1);
      victims++;
    }
  }
  if (victims === 0) return [noVictims];
  const code = runResolvableFilters(pod, node, usage);
  return code === passed ? undefined : filterReasons(code, pod, node, usage);
}
