import type { KubeClient } from "../../kube/kube-client.js";
import { isAlreadyExists } from "../../kube/kube-errors.js";
import type { Node, NodeCondition } from "../../kube/types.js";
import type { NodeFacts } from "./node-facts.js";
import {
  defaultNodeLabels,
  factsStatus,
  newNodeObject,
  nodePath,
  nodesPath,
  type Taint,
} from "./node-object.js";

export interface RegistrationOptions {
  /** The agent's own labels (--node-labels), set at creation and kept right after. */
  labels?: Record<string, string>;
  /** Taints to register with (--register-with-taints): only a new Node gets them. */
  taints?: Taint[];
  /** Conditions for a new Node (the status reporter keeps them current after). */
  conditions?: NodeCondition[];
  signal?: AbortSignal;
}

/**
 * Creates this node's Node; when it exists already (an agent restart, or a node re-installed
 * under its old name), reconciles it as kubelet does: the labels the agent owns are set right,
 * every other label and all taints stay as the admin left them, and the status facts
 * (capacity, addresses, nodeInfo…) are refreshed. Resolves with the Node as stored.
 */
export async function registerNode(
  client: KubeClient,
  facts: NodeFacts,
  options: RegistrationOptions = {},
): Promise<Node> {
  const call = { signal: options.signal };
  try {
    return await client.create<Node>(nodesPath, newNodeObject(facts, options), call);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  const path = nodePath(facts.nodeName);
  const existing = await client.get<Node>(path, call);
  const wanted = { ...options.labels, ...defaultNodeLabels(facts) };
  const have = existing.metadata?.labels ?? {};
  const changed = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => have[k] !== v));
  if (Object.keys(changed).length > 0) {
    await client.patch<Node>(path, { metadata: { labels: changed } }, "strategic", call);
  }
  return client.patch<Node>(`${path}/status`, { status: factsStatus(facts) }, "strategic", call);
}
