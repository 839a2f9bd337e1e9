import type { KubeObject } from "../../resources/kube-object.js";
import { objectAt, stringMapAt, type JsonObject } from "../../resources/json-access.js";
import { addPorts, type PortUsage } from "./host-ports.js";
import type { PodProfile } from "./pod-profile.js";
import { milliValue, wholeValue } from "./quantities.js";
import { cpu, ephemeralStorage, isScalarResource, memory, podsResource } from "./resource-names.js";
import { isHardTaint, readTaints, untoleratedTaintReason, type Taint } from "./taints.js";

/** What bound pods hold on a node: the sums the fit filter subtracts from allocatable. */
export interface NodeUsage {
  cpuMilli: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
  pods: number;
  scalar: Map<string, number>;
  nonZeroCpuMilli: number;
  nonZeroMemoryBytes: number;
  ports: PortUsage;
}

export const emptyUsage = (): NodeUsage => ({
  cpuMilli: 0,
  memoryBytes: 0,
  ephemeralStorageBytes: 0,
  pods: 0,
  scalar: new Map(),
  nonZeroCpuMilli: 0,
  nonZeroMemoryBytes: 0,
  ports: new Map(),
});

export function addToUsage(usage: NodeUsage, pod: PodProfile, sign: 1 | -1): void {
  const r = pod.requests;
  usage.cpuMilli += sign * r.cpuMilli;
  usage.memoryBytes += sign * r.memoryBytes;
  usage.ephemeralStorageBytes += sign * r.ephemeralStorageBytes;
  usage.pods += sign;
  usage.nonZeroCpuMilli += sign * r.nonZeroCpuMilli;
  usage.nonZeroMemoryBytes += sign * r.nonZeroMemoryBytes;
  for (const [name, amount] of r.scalar) {
    const total = (usage.scalar.get(name) ?? 0) + sign * amount;
    if (total !== 0) usage.scalar.set(name, total);
    else usage.scalar.delete(name);
  }
  if (pod.hostPorts.length > 0) addPorts(usage.ports, pod.hostPorts, sign);
}

export function copyUsage(usage: NodeUsage): NodeUsage {
  const ports: PortUsage = new Map();
  for (const [slot, ips] of usage.ports) ports.set(slot, new Map(ips));
  return { ...usage, scalar: new Map(usage.scalar), ports };
}

/** A node as the scheduler sees it: its Node object parsed once, plus what its pods hold. */
export class NodeState {
  node: KubeObject | undefined;
  allocatableCpuMilli = 0;
  allocatableMemoryBytes = 0;
  allocatableEphemeralBytes = 0;
  allowedPods = 0;
  allocatableScalar = new Map<string, number>();
  unschedulable = false;
  labels: Record<string, string> = {};
  hostname = "";
  hardTaints: Taint[] = [];
  hardTaintReasons: string[] = [];
  preferTaints: Taint[] = [];
  readonly usage = emptyUsage();
  readonly pods = new Map<string, PodProfile>();
  /** Spreading group → how many of its (non-terminating) pods are here. */
  readonly workloads = new Map<string, number>();

  /** @param ordinal creation order, which decides turns between equally good nodes */
  constructor(
    readonly name: string,
    readonly ordinal: number,
  ) {}

  /** Reads a new version of the Node; throws, leaving the old one, when a quantity is bad. */
  setNode(node: KubeObject): void {
    const status = objectAt(node.status) ?? {};
    const allocatable = objectAt(status.allocatable);
    const useCapacity = !allocatable || Object.keys(allocatable).length === 0;
    const list = (useCapacity ? objectAt(status.capacity) : allocatable) ?? {};
    const path = useCapacity ? "status.capacity" : "status.allocatable";
    const parsed = parseAllocatable(list, `${path}`);
    const spec = objectAt(node.spec) ?? {};
    const taints = readTaints(spec.taints);
    this.node = node;
    this.allocatableCpuMilli = parsed.cpu;
    this.allocatableMemoryBytes = parsed.memory;
    this.allocatableEphemeralBytes = parsed.ephemeral;
    this.allowedPods = parsed.pods;
    this.allocatableScalar = parsed.scalar;
    this.unschedulable = spec.unschedulable === true;
    this.labels = stringMapAt(node.metadata?.labels);
    this.hostname = this.labels["kubernetes.io/hostname"] ?? this.name;
    this.hardTaints = taints.filter(isHardTaint);
    this.hardTaintReasons = this.hardTaints.map(untoleratedTaintReason);
    this.preferTaints = taints.filter((t) => t.effect === "PreferNoSchedule");
  }

  addPod(pod: PodProfile): void {
    this.pods.set(pod.key, pod);
    addToUsage(this.usage, pod, 1);
    for (const key of pod.workloadKeys) this.workloads.set(key, (this.workloads.get(key) ?? 0) + 1);
  }

  removePod(pod: PodProfile): void {
    if (!this.pods.delete(pod.key)) return;
    addToUsage(this.usage, pod, -1);
    for (const key of pod.workloadKeys) {
      const count = (this.workloads.get(key) ?? 0) - 1;
      if (count > 0) this.workloads.set(key, count);
      else this.workloads.delete(key);
    }
  }
}

function parseAllocatable(list: JsonObject, path: string) {
  const out = { cpu: 0, memory: 0, ephemeral: 0, pods: 0, scalar: new Map<string, number>() };
  for (const [name, raw] of Object.entries(list)) {
    if (raw === undefined || raw === null) continue;
    const field = `${path}.${name}`;
    if (name === cpu) out.cpu = milliValue(raw, field);
    else if (name === memory) out.memory = wholeValue(raw, field);
    else if (name === ephemeralStorage) out.ephemeral = wholeValue(raw, field);
    else if (name === podsResource) out.pods = wholeValue(raw, field);
    else if (isScalarResource(name)) out.scalar.set(name, wholeValue(raw, field));
  }
  return out;
}
