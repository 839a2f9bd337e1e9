import { scaleReplicaSet, type DeploymentState } from "./deployment-state.js";
import { isPodTerminal } from "./pod-state.js";
import { isActive } from "./replicaset-view.js";

/** scaleDownOldReplicaSetsForRecreate: every old ReplicaSet to 0 at once. */
export function scaleDownOldForRecreate(state: DeploymentState): boolean {
  let scaled = false;
  for (const rs of state.oldRSs.filter(isActive)) {
    if (scaleReplicaSet(state, rs, 0)) scaled = true;
  }
  return scaled;
}

/**
 * oldPodsRunning: an old pod still counts until it has finished or is gone, terminating ones
 * included, so the new revision never runs next to the old one.
 */
export function oldPodsRunning(state: DeploymentState): boolean {
  return state.oldRSs.some(
    (rs) => rs.pods.counts.replicas > 0 || rs.pods.all.some((pod) => !isPodTerminal(pod)),
  );
}
