import type { KubeObject } from "../resources/kube-object.js";
import { textAt } from "../resources/json-access.js";
import { nodeConditions, type Condition } from "./node-conditions.js";

/** The conditions a silent node's kubelet can no longer vouch for (NetworkUnavailable is not its). */
export const kubeletConditionTypes = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

/**
 * The conditions of a node that stopped posting status: each kubelet condition Unknown, with
 * Kubernetes' reasons and messages; undefined when they already are (nothing to write).
 */
export function unknownConditions(node: KubeObject, now: string): Condition[] | undefined {
  const conditions = nodeConditions(node).map((c) => ({ ...c }));
  let changed = false;
  for (const type of kubeletConditionTypes) {
    const current = conditions.find((c) => c.type === type);
    if (!current) {
      conditions.push({
        type,
        status: "Unknown",
        lastHeartbeatTime: textAt(node.metadata?.creationTimestamp) || now,
        lastTransitionTime: now,
        reason: "NodeStatusNeverUpdated",
        message: "Kubelet never posted node status.",
      });
      changed = true;
    } else if (current.status !== "Unknown") {
      current.status = "Unknown";
      current.reason = "NodeStatusUnknown";
      current.message = "Kubelet stopped posting node status.";
      current.lastTransitionTime = now;
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}
