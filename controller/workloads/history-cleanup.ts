import type { DeploymentState } from "./deployment-state.js";
import { byRevision } from "./revisions.js";
import { statusObserved, storedStatusReplicas } from "./replicaset-view.js";

/**
 * cleanupDeployment: beyond revisionHistoryLimit, delete the oldest revisions, but only those
 * already scaled to 0 with no pods left and whose controller has seen that.
 */
export function cleanupOldRevisions(state: DeploymentState): void {
  const limit = state.s.revisionHistoryLimit;
  if (limit === undefined) return;
  const alive = state.oldRSs.filter((rs) => !rs.pending && !rs.object.metadata?.deletionTimestamp);
  const excess = alive.length - limit;
  if (excess <= 0) return;
  for (const rs of [...alive].sort(byRevision).slice(0, excess)) {
    const idle =
      rs.storedReplicas === 0 &&
      storedStatusReplicas(rs) === 0 &&
      rs.pods.counts.replicas === 0 &&
      statusObserved(rs);
    if (idle) state.deleteNames.push(rs.name);
  }
}
