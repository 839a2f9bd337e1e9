import { invalidArgument } from "../../../lib/errors.js";
import type { Container, Pod } from "../../kube/types.js";
import { isSidecar } from "./pod-containers.js";
import { containerLimits, containerRequests } from "./pod-resources.js";
import {
  addQuantities,
  compareQuantities,
  wholeUnits,
  zeroQuantity,
  type Quantity,
} from "./quantity.js";

export type QosClass = "Guaranteed" | "Burstable" | "BestEffort";

const qosResources = new Set(["cpu", "memory"]);

/**
 * The pod's QoS class as Kubernetes computes it, over app and init containers alike:
 * - BestEffort: no container requests or limits any cpu or memory;
 * - Guaranteed: every container limits both cpu and memory, and the pod's summed requests equal
 *   its summed limits;
 * - Burstable: anything else.
 * Only positive amounts count. The class in status (set once at creation) wins when present.
 */
export function podQosClass(pod: Pod): QosClass {
  return pod.status?.qosClass ?? computeQosClass(pod);
}

export function computeQosClass(pod: Pod): QosClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of containers) {
    addPositive(requests, containerRequests(pod, c));
    const found = addPositive(limits, containerLimits(pod, c));
    if (!found.has("cpu") || !found.has("memory")) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return "BestEffort";
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || compareQuantities(lim, req) !== 0) guaranteed = false;
    }
  }
  return guaranteed && requests.size === limits.size ? "Guaranteed" : "Burstable";
}

/** Adds the positive cpu/memory amounts of list into total; returns the names it added. */
function addPositive(total: Map<string, Quantity>, list: Map<string, Quantity>): Set<string> {
  const found = new Set<string>();
  for (const [name, q] of list) {
    if (!qosResources.has(name) || compareQuantities(q, zeroQuantity) <= 0) continue;
    found.add(name);
    const prev = total.get(name);
    total.set(name, prev ? addQuantities(prev, q) : q);
  }
  return found;
}

const guaranteedOomScoreAdj = -997;
const bestEffortOomScoreAdj = 1000;
const systemCriticalPriority = 2_000_000_000;

/**
 * oom_score_adj for a container, kubelet's policy: node-critical pods and Guaranteed -997,
 * BestEffort 1000, Burstable 1000 - 1000 × memory request / node memory, kept within [3, 999] so
 * it stays above any Guaranteed and below any BestEffort container. A sidecar scores no higher
 * than the app container with the smallest memory request.
 */
export function containerOomScoreAdj(
  pod: Pod,
  container: Container,
  memoryCapacityBytes: bigint,
): number {
  if (isNodeCritical(pod)) return guaranteedOomScoreAdj;
  const qos = podQosClass(pod);
  if (qos === "Guaranteed") return guaranteedOomScoreAdj;
  if (qos === "BestEffort") return bestEffortOomScoreAdj;
  if (memoryCapacityBytes <= 0n) {
    throw invalidArgument("node memory capacity must be positive to score a Burstable container", {
      field: "memoryCapacityBytes",
    });
  }
  const score = (request: bigint) => 1000n - (1000n * request) / memoryCapacityBytes;
  let adj = score(memoryRequest(pod, container));
  if (isSidecar(pod, container)) {
    const apps = pod.spec?.containers ?? [];
    const smallest = apps.reduce<bigint | undefined>((min, c) => {
      const req = memoryRequest(pod, c);
      return min === undefined || req < min ? req : min;
    }, undefined);
    if (smallest !== undefined && adj > score(smallest)) adj = score(smallest);
  }
  const low = BigInt(1000 + guaranteedOomScoreAdj);
  if (adj < low) return Number(low);
  if (adj === BigInt(bestEffortOomScoreAdj)) return bestEffortOomScoreAdj - 1;
  return Number(adj);
}

function memoryRequest(pod: Pod, c: Container): bigint {
  const q = containerRequests(pod, c).get("memory");
  return q ? wholeUnits(q) : 0n;
}

/** Node-critical: class system-node-critical on a critical pod (static, mirror or high priority). */
function isNodeCritical(pod: Pod): boolean {
  const critical =
    pod.metadata?.annotations?.["kubernetes.io/config.mirror"] !== undefined ||
    (pod.spec?.priority ?? 0) >= systemCriticalPriority;
  return critical && pod.spec?.priorityClassName === "system-node-critical";
}
