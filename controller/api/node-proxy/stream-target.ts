import { textAt, objectAt } from "../../resources/json-access.js";
import type { ApiDeps } from "../context.js";
import { internalError } from "../status.js";
import { nodeEndpoint, type NodeEndpoint } from "./node-endpoint.js";
import type { NodeStreamingConfig } from "./node-streaming-config.js";
import { pickContainer } from "./pod-container.js";

/** The pod a stream is about, the container picked, and where its node's agent listens. */
export interface StreamTarget {
  namespace: string;
  pod: string;
  /** Undefined for port forwarding, which is about the whole pod. */
  container?: string;
  /** Undefined while the pod is not bound to a node. */
  endpoint?: NodeEndpoint;
}

/**
 * Resolves a pods/log|exec|attach|portforward request in kube-apiserver's order: the pod (404),
 * the container (400), the pod's node (404 when that Node is gone) and its address.
 */
export async function resolveStreamTarget(
  deps: ApiDeps,
  config: NodeStreamingConfig,
  namespace: string,
  podName: string,
  requestedContainer: string | undefined,
): Promise<StreamTarget> {
  const pods = deps.registry.find("", "v1", "pods");
  const nodes = deps.registry.find("", "v1", "nodes");
  if (!pods || !nodes) throw internalError("pods and nodes are not served");
  const pod = await deps.resources.get(pods, namespace, podName);
  const container =
    requestedContainer === undefined ? undefined : pickContainer(pod, requestedContainer);
  const nodeName = textAt(objectAt(pod.spec)?.nodeName);
  if (!nodeName) return { namespace, pod: podName, container };
  const node = await deps.resources.get(nodes, "", nodeName);
  return {
    namespace,
    pod: podName,
    container,
    endpoint: nodeEndpoint(node, config.preferredAddressTypes, config.defaultPort),
  };
}

/** The agent path for a target: /<endpoint>/<namespace>/<pod>[/<container>]. */
export function agentPath(kind: string, target: StreamTarget): string {
  const parts = [kind, target.namespace, target.pod];
  if (target.container !== undefined) parts.push(target.container);
  return "/" + parts.map(encodeURIComponent).join("/");
}
