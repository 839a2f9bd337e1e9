import type { KubeObject } from "../../../../controller/resources/kube-object.js";

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  ephemeral?: string;
  extra?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  unschedulable?: boolean;
  /** Report only status.capacity, as an old kubelet would. */
  capacityOnly?: boolean;
}

export function makeNode(name: string, o: NodeOptions = {}): KubeObject {
  const list: Record<string, string> = {
    cpu: o.cpu ?? "4",
    memory: o.memory ?? "8Gi",
    pods: o.pods ?? "110",
    ...(o.ephemeral ? { "ephemeral-storage": o.ephemeral } : {}),
    ...o.extra,
  };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...o.labels } },
    spec: {
      ...(o.taints ? { taints: o.taints } : {}),
      ...(o.unschedulable ? { unschedulable: true } : {}),
    },
    status: o.capacityOnly ? { capacity: list } : { capacity: list, allocatable: list },
  };
}

export interface PodOptions {
  namespace?: string;
  requests?: Record<string, string>;
  limits?: Record<string, string>;
  containers?: Array<Record<string, unknown>>;
  initContainers?: Array<Record<string, unknown>>;
  overhead?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  affinity?: Record<string, unknown>;
  tolerations?: Array<Record<string, unknown>>;
  hostPorts?: Array<{ hostPort: number; protocol?: string; hostIP?: string }>;
  ownerUid?: string;
  labels?: Record<string, string>;
  priority?: number;
  preemptionPolicy?: string;
  nodeName?: string;
  phase?: string;
  resourceVersion?: string;
}

let uidCounter = 0;

export function makePod(name: string, o: PodOptions = {}): KubeObject {
  const resources = {
    ...(o.requests ? { requests: o.requests } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
  };
  const containers = o.containers ?? [
    {
      name: "app",
      image: "busybox",
      resources,
      ...(o.hostPorts
        ? { ports: o.hostPorts.map((p) => ({ containerPort: p.hostPort, ...p })) }
        : {}),
    },
  ];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: o.namespace ?? "default",
      uid: `uid-${name}-${++uidCounter}`,
      ...(o.resourceVersion ? { resourceVersion: o.resourceVersion } : {}),
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.ownerUid
        ? {
            ownerReferences: [
              {
                apiVersion: "apps/v1",
                kind: "ReplicaSet",
                name: "rs",
                uid: o.ownerUid,
                controller: true,
              },
            ],
          }
        : {}),
    },
    spec: {
      containers,
      ...(o.initContainers ? { initContainers: o.initContainers } : {}),
      ...(o.overhead ? { overhead: o.overhead } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.affinity ? { affinity: o.affinity } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
      ...(o.preemptionPolicy ? { preemptionPolicy: o.preemptionPolicy } : {}),
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
    },
    status: { phase: o.phase ?? "Pending" },
  };
}

/** A container spec with the given requests (and optional limits / restartPolicy). */
export const container = (
  name: string,
  requests: Record<string, string>,
  extra: Record<string, unknown> = {},
) => ({ name, image: "busybox", resources: { requests }, ...extra });

export const requiredAffinity = (...terms: Array<Record<string, unknown>>) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
});

export const preferredAffinity = (
  ...terms: Array<{ weight: number; preference: Record<string, unknown> }>
) => ({ nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } });

export const expr = (key: string, operator: string, values?: string[]) => ({
  key,
  operator,
  ...(values ? { values } : {}),
});
