// The objects a kubelet writes for its node — Node, its status conditions, its Lease — filled in
// for a simulated node.

export interface SimTaint {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface SimNodeShape {
  name: string;
  internalIP: string;
  labels: Record<string, string>;
  taints: SimTaint[];
  capacity: Record<string, string>;
}

export const leaseNamespace = "kube-node-lease";
export const leaseDurationSeconds = 40;
export const kubeletPort = 10250;

/** metav1.Time: RFC 3339 in whole seconds. */
export const kubeTime = (at: Date) => `${at.toISOString().slice(0, 19)}Z`;

/** metav1.MicroTime: RFC 3339 with six fractional digits. */
export const microTime = (at: Date) => `${at.toISOString().slice(0, 23)}000Z`;

const standardLabels = (name: string) => ({
  "kubernetes.io/hostname": name,
  "kubernetes.io/os": "linux",
  "kubernetes.io/arch": "amd64",
  "beta.kubernetes.io/os": "linux",
  "beta.kubernetes.io/arch": "amd64",
  type: "simulated",
});

type Condition = Record<string, string>;

const healthy: Array<[type: string, status: string, reason: string, message: string]> = [
  [
    "MemoryPressure",
    "False",
    "KubeletHasSufficientMemory",
    "kubelet has sufficient memory available",
  ],
  ["DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
  ["PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"],
  ["Ready", "True", "KubeletReady", "kubelet is posting ready status"],
];

/**
 * A healthy node's conditions, heartbeat `now`. A condition keeps its transition time from
 * `current` (the node as stored) while its status is unchanged, as the kubelet does.
 */
export function healthyConditions(now: Date, current: Condition[] = []): Condition[] {
  return healthy.map(([type, status, reason, message]) => {
    const before = current.find((c) => c.type === type);
    return {
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: kubeTime(now),
      lastTransitionTime:
        before?.status === status && before.lastTransitionTime
          ? before.lastTransitionTime
          : kubeTime(now),
    };
  });
}

export function nodeStatus(shape: SimNodeShape, now: Date): Record<string, unknown> {
  return {
    capacity: { ...shape.capacity },
    allocatable: { ...shape.capacity },
    conditions: healthyConditions(now),
    addresses: [
      { type: "InternalIP", address: shape.internalIP },
      { type: "Hostname", address: shape.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
    nodeInfo: {
      machineID: `sim-${shape.name}`,
      systemUUID: `sim-${shape.name}`,
      bootID: `sim-${shape.name}`,
      kernelVersion: "6.1.0-berth-sim",
      osImage: "Berth simulated node",
      containerRuntimeVersion: "berth-sim://0.1",
      kubeletVersion: "v1.32.4-berth-sim",
      kubeProxyVersion: "v1.32.4-berth-sim",
      operatingSystem: "linux",
      architecture: "amd64",
    },
  };
}

export function nodeLabels(shape: SimNodeShape): Record<string, string> {
  return { ...standardLabels(shape.name), ...shape.labels };
}

/** The Node a kubelet registers (POST /api/v1/nodes). */
export function nodeObject(shape: SimNodeShape, now: Date): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: shape.name,
      labels: nodeLabels(shape),
      annotations: { "node.alpha.kubernetes.io/ttl": "0" },
    },
    spec: shape.taints.length > 0 ? { taints: shape.taints.map((t) => ({ ...t })) } : {},
    status: nodeStatus(shape, now),
  };
}

/** The node's Lease spec as its holder renews it. */
export function leaseSpec(node: string, now: Date): Record<string, unknown> {
  return {
    holderIdentity: node,
    leaseDurationSeconds,
    renewTime: microTime(now),
  };
}

export function leaseObject(node: string, nodeUid: string, now: Date): Record<string, unknown> {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name: node,
      namespace: leaseNamespace,
      ownerReferences: [{ apiVersion: "v1", kind: "Node", name: node, uid: nodeUid }],
    },
    spec: leaseSpec(node, now),
  };
}
