import { isObject, numberAt, objectAt, objectsAt, textAt } from "../../resources/json-access.js";

// The parts of a node agent's /stats/summary (the kubelet's stats/v1alpha1 Summary) that the
// metrics API needs. The controller reads the JSON itself: it never shares types with agents.

export interface CpuReading {
  /** Cumulative CPU time since the node booted or the container started. */
  usageCoreNanoSeconds?: number;
  /** The agent's own rate since its previous reading (any caller's), when it had one. */
  usageNanoCores?: number;
}

export interface ContainerReading {
  name: string;
  /** RFC 3339; a later start means the cumulative counter began again. */
  startTime: string;
  cpu: CpuReading;
  workingSetBytes?: number;
}

export interface PodReading {
  namespace: string;
  name: string;
  uid: string;
  containers: ContainerReading[];
}

export interface SummaryReading {
  nodeName: string;
  /** When the node booted. */
  startTime: string;
  cpu: CpuReading;
  workingSetBytes?: number;
  pods: PodReading[];
}

/** The summary's node and pods; throws when the body is not a Summary at all. */
export function readSummary(body: unknown): SummaryReading {
  if (!isObject(body) || !isObject(body.node)) {
    throw new Error("the /stats/summary answer has no node section");
  }
  const node = body.node;
  return {
    nodeName: textAt(node.nodeName),
    startTime: textAt(node.startTime),
    cpu: cpuReading(node.cpu),
    workingSetBytes: counter(objectAt(node.memory)?.workingSetBytes),
    pods: objectsAt(body.pods).map(podReading),
  };
}

function podReading(pod: Record<string, unknown>): PodReading {
  const ref = objectAt(pod.podRef) ?? {};
  return {
    namespace: textAt(ref.namespace),
    name: textAt(ref.name),
    uid: textAt(ref.uid),
    containers: objectsAt(pod.containers).map((c) => ({
      name: textAt(c.name),
      startTime: textAt(c.startTime),
      cpu: cpuReading(c.cpu),
      workingSetBytes: counter(objectAt(c.memory)?.workingSetBytes),
    })),
  };
}

function cpuReading(value: unknown): CpuReading {
  const cpu = objectAt(value) ?? {};
  return {
    usageCoreNanoSeconds: counter(cpu.usageCoreNanoSeconds),
    usageNanoCores: counter(cpu.usageNanoCores),
  };
}

function counter(value: unknown): number | undefined {
  const n = numberAt(value);
  return n !== undefined && n >= 0 ? n : undefined;
}
