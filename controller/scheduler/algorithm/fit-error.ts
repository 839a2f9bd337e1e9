// The FailedScheduling text, in kube-scheduler 1.32's form:
//   0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {k: v}. preemption: …
// Each entry is "<count> <reason>", sorted as Go's sort.Strings sorts the whole entry.

export const noNodesMessage = "no nodes available to schedule pods";

export type ReasonHistogram = Map<string, number>;

export function countReason(histogram: ReasonHistogram, reason: string, times = 1): void {
  histogram.set(reason, (histogram.get(reason) ?? 0) + times);
}

/** FitError.Error(): the filter summary (or a whole-pod PreFilter reason), then PostFilter's. */
export function fitErrorMessage(
  numAllNodes: number,
  filter: ReasonHistogram | { preFilter: string },
  postFilter?: string,
): string {
  let message = `0/${numAllNodes} nodes are available:`;
  if ("preFilter" in filter) message += ` ${filter.preFilter}.`;
  else if (filter.size > 0) message += ` ${sortedEntries(filter).join(", ")}.`;
  if (postFilter) message += ` ${postFilter}`;
  return message;
}

function sortedEntries(histogram: ReasonHistogram): string[] {
  const entries = [...histogram].map(([reason, count]) => `${count} ${reason}`);
  return entries.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
