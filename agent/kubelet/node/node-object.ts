import type { Node, NodeCondition } from "../../kube/types.js";
import type { NodeFacts } from "./node-facts.js";

export type Taint = NonNullable<NonNullable<Node["spec"]>["taints"]>[number];
export type NodeStatus = NonNullable<Node["status"]>;

export const nodesPath = "/api/v1/nodes";
export const nodePath = (name: string): string => `${nodesPath}/${encodeURIComponent(name)}`;

/** The well-known labels a kubelet sets on its Node and keeps right on every registration. */
export function defaultNodeLabels(facts: NodeFacts): Record<string, string> {
  const os = facts.nodeInfo.operatingSystem ?? "linux";
  const arch = facts.nodeInfo.architecture ?? "";
  return {
    "kubernetes.io/hostname": facts.hostname,
    "kubernetes.io/os": os,
    "kubernetes.io/arch": arch,
    "beta.kubernetes.io/os": os,
    "beta.kubernetes.io/arch": arch,
  };
}

/** The parts of the status that come from the host rather than from health checks. */
export function factsStatus(facts: NodeFacts): NodeStatus {
  return {
    capacity: facts.capacity,
    allocatable: facts.allocatable,
    addresses: facts.addresses,
    daemonEndpoints: facts.daemonEndpoints,
    nodeInfo: facts.nodeInfo,
  };
}

/** The Node a first registration creates: labels, registration taints, status. */
export function newNodeObject(
  facts: NodeFacts,
  options: { labels?: Record<string, string>; taints?: Taint[]; conditions?: NodeCondition[] },
): Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: facts.nodeName,
      labels: { ...options.labels, ...defaultNodeLabels(facts) },
    },
    spec: options.taints?.length ? { taints: options.taints } : {},
    status: {
      ...factsStatus(facts),
      ...(options.conditions ? { conditions: options.conditions } : {}),
    },
  };
}
