import type { KubeObject } from "../resources/kube-object.js";
import { objectAt, textAt } from "../resources/json-access.js";
import { nodeCondition, timeMs } from "./node-conditions.js";
import type { NodeLifecycleSettings } from "./settings.js";

/** What the controller remembers of a node's signs of life. */
export interface NodeHealth {
  /** When (this controller's clock, ms) the node was last seen alive. */
  probeAt: number;
  /** The Ready condition's lastHeartbeatTime as last seen; undefined: no Ready condition. */
  heartbeat?: string;
  /** The Lease's spec.renewTime as last seen (ms); undefined: no Lease seen. */
  leaseRenewMs?: number;
}

/**
 * The node's health after looking at it and its Lease at `now`, as the node lifecycle controller
 * does: a new Ready heartbeat or a later Lease renewal counts as alive *now*. Time is measured on
 * the controller's clock from when a change was seen, never from the node's timestamps, so a
 * node's clock skew cannot age it. A node seen for the first time gets a fresh start (a newly
 * elected controller does not judge nodes by the time before it was watching), except one that
 * never posted a Ready condition: it is judged from its creation.
 */
export function observeHealth(
  previous: NodeHealth | undefined,
  node: KubeObject,
  lease: KubeObject | undefined,
  now: number,
): NodeHealth {
  const ready = nodeCondition(node, "Ready");
  const heartbeat = ready ? textAt(ready.lastHeartbeatTime) : undefined;
  let probeAt: number;
  if (!previous) {
    probeAt = ready ? now : (timeMs(node.metadata?.creationTimestamp) ?? now);
  } else if (heartbeat !== previous.heartbeat) {
    probeAt = now;
  } else {
    probeAt = previous.probeAt;
  }
  let leaseRenewMs = previous?.leaseRenewMs;
  const renewMs = lease ? timeMs(objectAt(lease.spec)?.renewTime) : undefined;
  if (renewMs !== undefined && (leaseRenewMs === undefined || renewMs > leaseRenewMs)) {
    probeAt = now;
    leaseRenewMs = renewMs;
  }
  return { probeAt, heartbeat, leaseRenewMs };
}

/** Whether the node has been silent for longer than its grace period at `now`. */
export function isSilent(
  health: NodeHealth,
  now: number,
  settings: Pick<NodeLifecycleSettings, "gracePeriodMs" | "startupGracePeriodMs">,
): boolean {
  const grace =
    health.heartbeat === undefined ? settings.startupGracePeriodMs : settings.gracePeriodMs;
  return now > health.probeAt + grace;
}
