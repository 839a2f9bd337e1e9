import type { NodeState } from "./node-state.js";
import { spreadKey, type PodProfile } from "./pod-profile.js";
import {
  balancedAllocationScore,
  intolerablePreferTaints,
  leastAllocatedScore,
  normalizeDefault,
  normalizeSpread,
  preferredAffinityWeight,
  spreadDomainWeight,
  spreadRawScore,
  weights,
} from "./scores.js";

let total = new Float64Array(512);
let plugin = new Float64Array(512);

/**
 * The feasible node with the highest weighted score. Ties go to the first node at or after
 * `tieBreak` in node order (wrapping), so equal nodes take turns instead of one node filling up.
 */
export function selectBestNode(
  pod: PodProfile,
  nodes: readonly NodeState[],
  tieBreak: number,
): NodeState {
  const n = nodes.length;
  if (total.length < n) {
    total = new Float64Array(n * 2);
    plugin = new Float64Array(n * 2);
  }
  for (let i = 0; i < n; i++) {
    total[i] =
      weights.nodeResourcesFit * leastAllocatedScore(pod, nodes[i]) +
      weights.balancedAllocation * balancedAllocationScore(pod, nodes[i]);
  }
  for (let i = 0; i < n; i++) plugin[i] = intolerablePreferTaints(pod, nodes[i]);
  normalizeDefault(plugin, n, true);
  addWeighted(weights.taintToleration, n);
  if (pod.preferredTerms.length > 0) {
    for (let i = 0; i < n; i++) plugin[i] = preferredAffinityWeight(pod, nodes[i]);
    normalizeDefault(plugin, n, false);
    addWeighted(weights.nodeAffinity, n);
  }
  const key = spreadKey(pod);
  if (key !== undefined) {
    const domainWeight = spreadDomainWeight(n);
    for (let i = 0; i < n; i++) {
      plugin[i] = spreadRawScore(nodes[i].workloads.get(key) ?? 0, domainWeight);
    }
    normalizeSpread(plugin, n);
    addWeighted(weights.podTopologySpread, n);
  }
  let best = 0;
  for (let i = 1; i < n; i++) {
    if (total[i] > total[best]) best = i;
    else if (
      total[i] === total[best] &&
      turnOrder(nodes[i], tieBreak) < turnOrder(nodes[best], tieBreak)
    ) {
      best = i;
    }
  }
  return nodes[best];
}

function addWeighted(weight: number, n: number): void {
  for (let i = 0; i < n; i++) total[i] += weight * plugin[i];
}

// Distance from the tie-break position going forward through node ordinals.
const turnOrder = (node: NodeState, tieBreak: number) =>
  node.ordinal >= tieBreak ? node.ordinal - tieBreak : node.ordinal - tieBreak + 2 ** 52;
