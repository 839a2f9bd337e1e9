// The default scheduler's placement algorithm: pure and synchronous, no I/O. The controller feeds
// a ClusterSnapshot from its watches and calls schedulePod for each pending pod.

export { ClusterSnapshot, type ResourceTotals } from "./cluster-snapshot.js";
export { schedulePod, type ScheduleOptions, type ScheduleResult } from "./schedule-pod.js";
export { numFeasibleNodesToFind } from "./feasible-nodes.js";
export { podRequests, type PodRequests } from "./pod-requests.js";
