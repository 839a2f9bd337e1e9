import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import { invalid } from "../status.js";
import { subjectOf } from "./api-object.js";

/** 422 unless the new object is valid (metadata and the kind's own rules). */
export function validateCreate(rt: ResourceType, obj: KubeObject): void {
  const causes = rt.validateCreate(obj);
  if (causes.length > 0) throw invalid(subjectOf(rt, obj.metadata?.name), causes);
}

/** 422 unless the update is valid, immutable fields included. */
export function validateUpdate(rt: ResourceType, obj: KubeObject, old: KubeObject): void {
  const causes = rt.validateUpdate(obj, old);
  if (causes.length > 0) throw invalid(subjectOf(rt, obj.metadata?.name), causes);
}
