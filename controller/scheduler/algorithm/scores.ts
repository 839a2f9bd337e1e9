import { termMatches } from "./node-selector.js";
import type { NodeState } from "./node-state.js";
import type { PodProfile } from "./pod-profile.js";
import { anyTolerates } from "./taints.js";

// kube-scheduler's default score plugins, each 0–100 per node (after its NormalizeScore), summed
// with the default profile's weights.

export const maxNodeScore = 100;

export const weights = {
  taintToleration: 3,
  nodeAffinity: 2,
  nodeResourcesFit: 1,
  podTopologySpread: 2,
  balancedAllocation: 1,
} as const;

// System-default spreading constraint on kubernetes.io/hostname (maxSkew 3, ScheduleAnyway).
const hostnameMaxSkew = 3;

/** NodeResourcesFit LeastAllocated over cpu and memory (weight 1 each), on non-zero requests. */
export function leastAllocatedScore(pod: PodProfile, node: NodeState): number {
  let sum = 0;
  let count = 0;
  if (node.allocatableCpuMilli > 0) {
    sum += leastRequested(
      node.usage.nonZeroCpuMilli + pod.requests.nonZeroCpuMilli,
      node.allocatableCpuMilli,
    );
    count++;
  }
  if (node.allocatableMemoryBytes > 0) {
    sum += leastRequested(
      node.usage.nonZeroMemoryBytes + pod.requests.nonZeroMemoryBytes,
      node.allocatableMemoryBytes,
    );
    count++;
  }
  return count === 0 ? 0 : Math.trunc(sum / count);
}

function leastRequested(requested: number, capacity: number): number {
  if (requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * maxNodeScore) / capacity);
}

/** NodeResourcesBalancedAllocation: how close the cpu and memory fractions (real requests) are. */
export function balancedAllocationScore(pod: PodProfile, node: NodeState): number {
  const cpu = fraction(node.usage.cpuMilli + pod.requests.cpuMilli, node.allocatableCpuMilli);
  const memory = fraction(
    node.usage.memoryBytes + pod.requests.memoryBytes,
    node.allocatableMemoryBytes,
  );
  const std = cpu < 0 || memory < 0 ? 0 : Math.abs((cpu - memory) / 2);
  return Math.trunc((1 - std) * maxNodeScore);
}

// -1 marks a resource the node has none of, which the plugin leaves out.
function fraction(requested: number, allocatable: number): number {
  if (allocatable === 0) return -1;
  return Math.min(requested / allocatable, 1);
}

/** PodTopologySpread's raw hostname score: more pods of the same workload here, higher (worse). */
export function spreadRawScore(count: number, domainWeight: number): number {
  return Math.round(count * domainWeight + (hostnameMaxSkew - 1));
}

/** topologyNormalizingWeight: log(domains + 2), so small clusters do not over-weigh one pod. */
export const spreadDomainWeight = (domains: number) => Math.log(domains + 2);

/** PodTopologySpread.NormalizeScore: the least crowded node gets 100. */
export function normalizeSpread(raw: Float64Array, n: number): void {
  let min = Infinity;
  let max = 0;
  for (let i = 0; i < n; i++) {
    if (raw[i] < min) min = raw[i];
    if (raw[i] > max) max = raw[i];
  }
  for (let i = 0; i < n; i++) {
    raw[i] = max === 0 ? maxNodeScore : Math.trunc((maxNodeScore * (max + min - raw[i])) / max);
  }
}

/** helper.DefaultNormalizeScore: scale to 0–100 of the highest, reversed when fewer is better. */
export function normalizeDefault(raw: Float64Array, n: number, reverse: boolean): void {
  let max = 0;
  for (let i = 0; i < n; i++) if (raw[i] > max) max = raw[i];
  for (let i = 0; i < n; i++) {
    if (max === 0) {
      raw[i] = reverse ? maxNodeScore : 0;
      continue;
    }
    const scaled = Math.trunc((maxNodeScore * raw[i]) / max);
    raw[i] = reverse ? maxNodeScore - scaled : scaled;
  }
}

/** TaintToleration score input: PreferNoSchedule taints the pod does not tolerate. */
export function intolerablePreferTaints(pod: PodProfile, node: NodeState): number {
  let count = 0;
  for (let i = 0; i < node.preferTaints.length; i++) {
    if (!anyTolerates(pod.preferTolerations, node.preferTaints[i])) count++;
  }
  return count;
}

/** NodeAffinity score input: the summed weights of the preferred terms this node matches. */
export function preferredAffinityWeight(pod: PodProfile, node: NodeState): number {
  let sum = 0;
  for (let i = 0; i < pod.preferredTerms.length; i++) {
    const { weight, term } = pod.preferredTerms[i];
    if (termMatches(term, node.labels, node.name)) sum += weight;
  }
  return sum;
}
