import { portsConflict } from "./host-ports.js";
import { anyTermMatches } from "./node-selector.js";
import type { NodeState, NodeUsage } from "./node-state.js";
import type { PodProfile } from "./pod-profile.js";
import { anyTolerates } from "./taints.js";

// kube-scheduler's filter plugins in their default order. A node is rejected by the first one that
// fails, so it reports that plugin's reasons only (several only from NodeResourcesFit). The hot path
// returns a small code; the reason texts are built only when a pod turns out to be unschedulable.

export const passed = 0;
export const nodeUnschedulable = 1;
export const taintToleration = 2;
export const nodeAffinity = 3;
export const nodePorts = 4;
export const nodeResourcesFit = 5;

export const reasonUnschedulable = "node(s) were unschedulable";
export const reasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector";
export const reasonNodePorts = "node(s) didn't have free ports for the requested pod ports";
export const reasonTooManyPods = "Too many pods";

export function runFilters(pod: PodProfile, node: NodeState): number {
  if (node.unschedulable && !pod.toleratesUnschedulable) return nodeUnschedulable;
  if (node.hardTaints.length > 0 && firstUntoleratedTaint(pod, node) >= 0) return taintToleration;
  if (!matchesNodeAffinity(pod, node)) return nodeAffinity;
  return runResolvableFilters(pod, node, node.usage);
}

/** NodePorts then NodeResourcesFit against a usage: the filters preemption could satisfy. */
export function runResolvableFilters(pod: PodProfile, node: NodeState, usage: NodeUsage): number {
  if (pod.hostPorts.length > 0 && portsConflict(usage.ports, pod.hostPorts)) return nodePorts;
  if (insufficientResources(pod, node, usage) > 0) return nodeResourcesFit;
  return passed;
}

/** UnschedulableAndUnresolvable plugins say so: removing pods would not help the node. */
export const preemptionMightHelp = (code: number) =>
  code === nodePorts || code === nodeResourcesFit;

/** The reasons a node rejected by `code` reports, worded as kube-scheduler 1.32 words them. */
export function filterReasons(
  code: number,
  pod: PodProfile,
  node: NodeState,
  usage: NodeUsage = node.usage,
): string[] {
  switch (code) {
    case nodeUnschedulable:
      return [reasonUnschedulable];
    case taintToleration:
      return [node.hardTaintReasons[firstUntoleratedTaint(pod, node)]];
    case nodeAffinity:
      return [reasonNodeAffinity];
    case nodePorts:
      return [reasonNodePorts];
    case nodeResourcesFit: {
      const reasons: string[] = [];
      insufficientResources(pod, node, usage, reasons);
      return reasons;
    }
    default:
      return [];
  }
}

export function firstUntoleratedTaint(pod: PodProfile, node: NodeState): number {
  const taints = node.hardTaints;
  for (let i = 0; i < taints.length; i++) {
    if (!anyTolerates(pod.tolerations, taints[i])) return i;
  }
  return -1;
}

export function matchesNodeAffinity(pod: PodProfile, node: NodeState): boolean {
  const selector = pod.nodeSelector;
  for (let i = 0; i < selector.length; i++) {
    if (node.labels[selector[i][0]] !== selector[i][1]) return false;
  }
  return (
    pod.requiredTerms === undefined || anyTermMatches(pod.requiredTerms, node.labels, node.name)
  );
}

/** NodeResourcesFit: how many resources fall short, their reasons pushed onto `out` if given. */
export function insufficientResources(
  pod: PodProfile,
  node: NodeState,
  usage: NodeUsage,
  out?: string[],
): number {
  let short = 0;
  if (usage.pods + 1 > node.allowedPods) {
    short++;
    out?.push(reasonTooManyPods);
  }
  const r = pod.requests;
  if (r.cpuMilli > 0 && r.cpuMilli > node.allocatableCpuMilli - usage.cpuMilli) {
    short++;
    out?.push("Insufficient cpu");
  }
  if (r.memoryBytes > 0 && r.memoryBytes > node.allocatableMemoryBytes - usage.memoryBytes) {
    short++;
    out?.push("Insufficient memory");
  }
  const ephemeral = r.ephemeralStorageBytes;
  if (ephemeral > 0 && ephemeral > node.allocatableEphemeralBytes - usage.ephemeralStorageBytes) {
    short++;
    out?.push("Insufficient ephemeral-storage");
  }
  const names = pod.scalarNames;
  for (let i = 0; i < names.length; i++) {
    const free = (node.allocatableScalar.get(names[i]) ?? 0) - (usage.scalar.get(names[i]) ?? 0);
    if (pod.scalarAmounts[i] > free) {
      short++;
      out?.push(`Insufficient ${names[i]}`);
    }
  }
  return short;
}
