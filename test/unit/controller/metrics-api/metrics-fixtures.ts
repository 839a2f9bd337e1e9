import type { KubeObject } from "../../../../controller/resources/kube-object.js";

/** A /stats/summary body as a Berth agent writes it, with the counters a test sets. */
export function summaryBody(options: {
  nodeName: string;
  nodeCpuNs: number;
  nodeWorkingSet: number;
  pods?: {
    namespace: string;
    name: string;
    uid: string;
    containers: { name: string; cpuNs?: number; workingSet?: number; startTime?: string }[];
  }[];
}): unknown {
  return {
    node: {
      nodeName: options.nodeName,
      startTime: "2025-01-01T00:00:00Z",
      cpu: { time: "2025-01-02T00:00:00Z", usageCoreNanoSeconds: options.nodeCpuNs },
      memory: { time: "2025-01-02T00:00:00Z", workingSetBytes: options.nodeWorkingSet },
      fs: { capacityBytes: 1 },
    },
    pods: (options.pods ?? []).map((p) => ({
      podRef: { namespace: p.namespace, name: p.name, uid: p.uid },
      startTime: "2025-01-01T00:00:00Z",
      containers: p.containers.map((c) => ({
        name: c.name,
        startTime: c.startTime ?? "2025-01-01T00:00:00Z",
        ...(c.cpuNs === undefined
          ? {}
          : { cpu: { time: "2025-01-02T00:00:00Z", usageCoreNanoSeconds: c.cpuNs } }),
        ...(c.workingSet === undefined
          ? {}
          : { memory: { time: "2025-01-02T00:00:00Z", workingSetBytes: c.workingSet } }),
      })),
    })),
  };
}

export function readyNode(name: string, labels: Record<string, string> = {}, ready = true) {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels },
    status: {
      conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
      addresses: [{ type: "InternalIP", address: "127.0.0.1" }],
    },
  } satisfies KubeObject;
}

export function runningPod(
  namespace: string,
  name: string,
  nodeName: string,
  containers: string[],
  labels: Record<string, string> = {},
) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { namespace, name, uid: `uid-${namespace}-${name}`, labels },
    spec: { nodeName, containers: containers.map((c) => ({ name: c, image: "busybox" })) },
    status: { phase: "Running" },
  } satisfies KubeObject;
}

/** A clock the test moves by hand; sleep() advances it at once. */
export class ManualClock {
  wall = Date.parse("2025-03-01T12:00:00Z");
  mono = 1_000_000;
  wallMs = () => this.wall;
  monoMs = () => this.mono;
  advance(ms: number): void {
    this.wall += ms;
    this.mono += ms;
  }
  sleep = async (ms: number) => this.advance(ms);
}
