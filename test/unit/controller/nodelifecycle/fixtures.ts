import type { KubeObject } from "../../../../controller/resources/kube-object.js";

export const t0 = Date.parse("2025-03-01T10:00:00Z");
/** metav1.Time `seconds` after t0. */
export const at = (seconds: number) =>
  new Date(t0 + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

export interface NodeShape {
  ready?: string;
  heartbeat?: string;
  conditions?: Array<Record<string, unknown>>;
  taints?: Array<Record<string, unknown>>;
  unschedulable?: boolean;
  labels?: Record<string, string>;
  created?: string;
}

export function node(name: string, shape: NodeShape = {}): KubeObject {
  const conditions =
    shape.conditions ??
    (shape.ready === undefined
      ? []
      : [
          {
            type: "Ready",
            status: shape.ready,
            reason: "KubeletReady",
            message: "kubelet is posting ready status",
            lastHeartbeatTime: shape.heartbeat ?? at(0),
            lastTransitionTime: at(-600),
          },
        ]);
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      uid: `uid-${name}`,
      creationTimestamp: shape.created ?? at(-3600),
      labels: shape.labels ?? {},
    },
    spec: {
      ...(shape.taints ? { taints: shape.taints } : {}),
      ...(shape.unschedulable ? { unschedulable: true } : {}),
    },
    status: { conditions },
  };
}

export function lease(name: string, renewTime: string): KubeObject {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name, namespace: "kube-node-lease" },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime },
  };
}

export interface PodShape {
  nodeName?: string;
  tolerations?: Array<Record<string, unknown>>;
  phase?: string;
  deleting?: boolean;
  ready?: string;
}

export function pod(name: string, shape: PodShape = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "shop",
      uid: `uid-${name}`,
      ...(shape.deleting ? { deletionTimestamp: at(0) } : {}),
    },
    spec: {
      containers: [{ name: "app", image: "busybox:1.36" }],
      ...(shape.nodeName ? { nodeName: shape.nodeName } : {}),
      ...(shape.tolerations ? { tolerations: shape.tolerations } : {}),
    },
    status: {
      phase: shape.phase ?? "Running",
      conditions: [
        { type: "PodScheduled", status: "True", lastTransitionTime: at(-100) },
        { type: "Ready", status: shape.ready ?? "True", lastTransitionTime: at(-90) },
      ],
    },
  };
}
