import type { ReplicaSetView } from "./replicaset-view.js";
import { byCreation } from "./replicaset-view.js";

export const revisionAnnotation = "deployment.kubernetes.io/revision";
export const revisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
export const desiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
export const maxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";

// Never copied from a Deployment to its ReplicaSets: they are the controller's own bookkeeping.
const notCopied = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  "deprecated.deployment.rollback.to",
]);

const maxHistoryChars = 2000;

/** A ReplicaSet's revision; 0 when unset, undefined when unparsable. */
export function revisionOf(rs: ReplicaSetView): number | undefined {
  const text = rs.annotations[revisionAnnotation];
  if (text === undefined || text === "") return 0;
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

export function maxRevision(rss: ReplicaSetView[]): number {
  return rss.reduce((max, rs) => Math.max(max, revisionOf(rs) ?? 0), 0);
}

/** ReplicaSetsByRevision: lowest first, ties by age. */
export function byRevision(a: ReplicaSetView, b: ReplicaSetView): number {
  return (revisionOf(a) ?? 0) - (revisionOf(b) ?? 0) || byCreation(a, b);
}

/** An integer annotation, when present and valid. */
export function intAnnotation(rs: ReplicaSetView, key: string): number | undefined {
  const text = rs.annotations[key];
  return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : undefined;
}

/**
 * SetNewReplicaSetAnnotations: copy the Deployment's own annotations (change-cause…), raise the
 * revision to newRevision when lower and, when it had one, remember the old one in
 * revision-history (a rollback back to this ReplicaSet).
 */
export function syncNewReplicaSetAnnotations(
  rs: ReplicaSetView,
  deploymentAnnotations: Record<string, string>,
  newRevision: number,
): void {
  for (const [key, value] of Object.entries(deploymentAnnotations)) {
    if (!notCopied.has(key)) rs.annotations[key] = value;
  }
  const old = rs.annotations[revisionAnnotation];
  const oldRevision = revisionOf(rs);
  if (oldRevision === undefined || oldRevision >= newRevision) return;
  rs.annotations[revisionAnnotation] = String(newRevision);
  if (old === undefined || old === "") return;
  const history = rs.annotations[revisionHistoryAnnotation] ?? "";
  const entries = history === "" ? [] : history.split(",");
  entries.push(old);
  while (entries.join(",").length > maxHistoryChars && entries.length > 1) entries.shift();
  rs.annotations[revisionHistoryAnnotation] = entries.join(",");
}
