import type { MetricPoint } from "./metric-point.js";
import type { SummaryReading } from "./summary-reading.js";

export interface PodSample {
  uid: string;
  /** By container name. */
  containers: Map<string, MetricPoint>;
}

/** One scrape of a node's agent: the node's point and each running container's. */
export interface NodeSample {
  monoMs: number;
  node: MetricPoint;
  /** By "namespace/name". */
  pods: Map<string, PodSample>;
}

export const podKey = (namespace: string, name: string) => `${namespace}/${name}`;

/** The summary's counters stamped with the scrape's times (Berth's summary times are whole seconds). */
export function nodeSample(summary: SummaryReading, atMs: number, monoMs: number): NodeSample {
  const pods = new Map<string, PodSample>();
  for (const pod of summary.pods) {
    const containers = new Map<string, MetricPoint>();
    for (const c of pod.containers) {
      containers.set(c.name, {
        atMs,
        monoMs,
        startTime: c.startTime,
        cpu: c.cpu,
        workingSetBytes: c.workingSetBytes,
      });
    }
    pods.set(podKey(pod.namespace, pod.name), { uid: pod.uid, containers });
  }
  return {
    monoMs,
    node: {
      atMs,
      monoMs,
      startTime: summary.startTime,
      cpu: summary.cpu,
      workingSetBytes: summary.workingSetBytes,
    },
    pods,
  };
}
