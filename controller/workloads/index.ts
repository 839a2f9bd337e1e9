// The workload controllers' decisions, as pure functions over objects and a clock.
export { reconcileReplicaSet } from "./replicaset-controller.js";
export type {
  ReplicaSetPlan,
  ReplicaSetStatus,
  ReplicaSetOptions,
} from "./replicaset-controller.js";
export { reconcileDeployment } from "./deployment-controller.js";
export type { DeploymentPlan, ReplicaSetScale, ReplicaSetRevisionBump } from "./deployment-plan.js";
export type { DeploymentStatus } from "./deployment-status.js";
export type { WorkloadCondition, ConditionStatus } from "./conditions.js";
export { slowStartBatches, burstReplicas } from "./slow-start.js";
export { compareForDeletion } from "./deletion-order.js";
export { podTemplateHash, podTemplateHashLabel, equalIgnoringHash } from "./pod-template-hash.js";
export {
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
} from "./revisions.js";
