import { type JsonRecord, integer } from "./json-fields.js";

/** spec.replicas, or 1 when unset: the default Kubernetes applies to Deployments and ReplicaSets. */
export function desiredReplicas(spec: JsonRecord): number {
  return spec.replicas === undefined || spec.replicas === null ? 1 : integer(spec.replicas);
}
