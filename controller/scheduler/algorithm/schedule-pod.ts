import type { KubeObject } from "../../resources/kube-object.js";
import type { ClusterSnapshot } from "./cluster-snapshot.js";
import { numFeasibleNodesToFind } from "./feasible-nodes.js";
import { filterReasons, passed, runFilters } from "./filters.js";
import { countReason, fitErrorMessage, noNodesMessage, type ReasonHistogram } from "./fit-error.js";
import type { NodeState } from "./node-state.js";
import { podProfile, type PodProfile } from "./pod-profile.js";
import { preemptionMessage, type RejectedNode } from "./preemption-diagnosis.js";
import { selectBestNode } from "./select-node.js";

export interface ScheduleOptions {
  /** As KubeSchedulerConfiguration's: 0 or absent means kube-scheduler's adaptive default. */
  percentageOfNodesToScore?: number;
  /** Where to start searching; when absent the snapshot's own cursor is used and advanced. */
  startIndex?: number;
}

export type ScheduleResult =
  | { node: string; evaluatedNodes: number; feasibleNodes: number; nextStartIndex: number }
  | {
      unschedulable: true;
      /** The FailedScheduling event / PodScheduled=False message. */
      message: string;
      /** Per-node reasons and how many nodes gave each (empty when no node was filtered). */
      reasons: Record<string, number>;
      nextStartIndex: number;
    };

const affinityConflict = "pod affinity terms conflict";
const outsidePreFilter = "node(s) didn't satisfy plugin(s) [NodeAffinity]";

// Reused across calls so the per-node loop allocates nothing; schedulePod is synchronous.
const feasible: NodeState[] = [];
let codes = new Uint8Array(1024);

/**
 * Picks a node for the pod the way kube-scheduler's default profile does: filter nodes from a
 * rotating start until enough feasible ones are found, score those, take the best. The snapshot is
 * not changed apart from its search cursor; bind, then addPod (or assume) to record the placement.
 */
export function schedulePod(
  pod: KubeObject,
  snapshot: ClusterSnapshot,
  options: ScheduleOptions = {},
): ScheduleResult {
  const profile = podProfile(pod);
  const all = snapshot.schedulableNodes();
  const numAll = all.length;
  const explicit = options.startIndex !== undefined;
  if (numAll === 0) {
    return { unschedulable: true, message: noNodesMessage, reasons: {}, nextStartIndex: 0 };
  }
  const start = explicit
    ? positiveModulo(Math.trunc(options.startIndex ?? 0), numAll)
    : snapshot.cursor.nextStartIndex % numAll;
  if (profile.requiredNodeNames === "conflict") {
    const post = preemptionMessage(profile, [], numAll);
    const message = fitErrorMessage(numAll, { preFilter: affinityConflict }, post);
    return { unschedulable: true, message, reasons: {}, nextStartIndex: start };
  }
  const names = profile.requiredNodeNames;
  const candidates = names ? all.filter((n) => names.has(n.name)) : all;
  const toFind = numFeasibleNodesToFind(candidates.length, options.percentageOfNodesToScore);
  if (codes.length < candidates.length) codes = new Uint8Array(candidates.length * 2);
  feasible.length = 0;
  let processed = 0;
  for (; processed < candidates.length && feasible.length < toFind; processed++) {
    const node = candidates[(start + processed) % candidates.length];
    const code = runFilters(profile, node);
    codes[processed] = code;
    if (code === passed) feasible.push(node);
  }
  const nextStartIndex = (start + processed) % numAll;
  if (!explicit) snapshot.cursor.nextStartIndex = nextStartIndex;
  if (feasible.length === 0) {
    return unschedulable(profile, candidates, start, numAll, nextStartIndex);
  }
  const tieBreak = explicit
    ? candidates[start % candidates.length].ordinal
    : snapshot.cursor.tieBreak;
  const chosen = feasible.length === 1 ? feasible[0] : selectBestNode(profile, feasible, tieBreak);
  if (!explicit) snapshot.cursor.tieBreak = chosen.ordinal + 1;
  return {
    node: chosen.name,
    evaluatedNodes: processed,
    feasibleNodes: feasible.length,
    nextStartIndex,
  };
}

function unschedulable(
  profile: PodProfile,
  candidates: readonly NodeState[],
  start: number,
  numAll: number,
  nextStartIndex: number,
): ScheduleResult {
  const histogram: ReasonHistogram = new Map();
  const rejected: RejectedNode[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const node = candidates[(start + i) % candidates.length];
    rejected.push({ node, code: codes[i] });
    for (const reason of filterReasons(codes[i], profile, node)) countReason(histogram, reason);
  }
  if (candidates.length < numAll)
    countReason(histogram, outsidePreFilter, numAll - candidates.length);
  const message = fitErrorMessage(numAll, histogram, preemptionMessage(profile, rejected, numAll));
  return { unschedulable: true, message, reasons: Object.fromEntries(histogram), nextStartIndex };
}

const positiveModulo = (a: number, n: number) => ((a % n) + n) % n;
