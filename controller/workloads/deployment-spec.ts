import { invalidArgument } from "../../lib/errors.js";
import type { KubeObject } from "../resources/kube-object.js";
import { objectAt, type JsonObject } from "../resources/json-access.js";
import { resolveFenceposts } from "./int-or-percent.js";
import {
  countField,
  metadataGeneration,
  requireIdentity,
  specMinReadySeconds,
  specOf,
  specReplicas,
  specSelector,
  specTemplate,
} from "./workload-spec.js";

const maxInt32 = 2147483647;

/** What the Deployment controller reads from a Deployment, resolved and checked once. */
export interface DeploymentSettings {
  name: string;
  uid: string;
  namespace: string;
  generation: number;
  replicas: number;
  minReadySeconds: number;
  selector: JsonObject;
  template: JsonObject;
  strategy: "RollingUpdate" | "Recreate";
  /** Resolved against replicas; 0 for Recreate. */
  maxSurge: number;
  /** Resolved against replicas and capped by it; 0 for Recreate or 0 replicas. */
  maxUnavailable: number;
  paused: boolean;
  /** undefined: keep every old ReplicaSet. */
  revisionHistoryLimit?: number;
  /** undefined: progress is never judged. */
  progressDeadlineSeconds?: number;
  deleting: boolean;
  annotations: Record<string, string>;
}

export function readDeployment(d: KubeObject): DeploymentSettings {
  const { name, uid, namespace } = requireIdentity(d);
  const spec = specOf(d);
  const replicas = specReplicas(d);
  const strategyObj = objectAt(spec.strategy) ?? {};
  const type = strategyObj.type ?? "RollingUpdate";
  if (type !== "RollingUpdate" && type !== "Recreate") {
    throw invalidArgument(
      `Deployment ${namespace}/${name}: spec.strategy.type ${JSON.stringify(type)} is not supported`,
      { field: "spec.strategy.type" },
    );
  }
  let maxSurge = 0;
  let maxUnavailable = 0;
  if (type === "RollingUpdate") {
    const rolling = objectAt(strategyObj.rollingUpdate) ?? {
      maxSurge: "25%",
      maxUnavailable: "25%",
    };
    const fenceposts = resolveFenceposts(
      rolling.maxSurge,
      rolling.maxUnavailable,
      replicas,
      "spec.strategy.rollingUpdate",
    );
    maxSurge = fenceposts.surge;
    maxUnavailable = replicas === 0 ? 0 : Math.min(fenceposts.unavailable, replicas);
  }
  const history = countField(d, "revisionHistoryLimit", maxInt32);
  const deadline = countField(d, "progressDeadlineSeconds", maxInt32);
  return {
    name,
    uid,
    namespace,
    generation: metadataGeneration(d),
    replicas,
    minReadySeconds: specMinReadySeconds(d),
    selector: specSelector(d),
    template: specTemplate(d),
    strategy: type,
    maxSurge,
    maxUnavailable,
    paused: spec.paused === true,
    revisionHistoryLimit: history === maxInt32 ? undefined : history,
    progressDeadlineSeconds: deadline === maxInt32 ? undefined : deadline,
    deleting: Boolean(d.metadata?.deletionTimestamp),
    annotations: { ...(d.metadata?.annotations ?? {}) },
  };
}
