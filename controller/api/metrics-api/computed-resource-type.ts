import type { RequestContext } from "../context.js";
import type { ResourceType } from "../../resources/resource-type.js";

/**
 * A kind whose objects are computed when asked for rather than stored (metrics.k8s.io, as an
 * aggregated API server would serve it): it takes only the verbs it lists, and answers its
 * requests itself instead of going through the storage handlers.
 */
export interface ComputedResourceType extends ResourceType {
  computed: true;
  /** The verbs served, as discovery advertises them. */
  verbs: string[];
  serve(ctx: RequestContext): Promise<void>;
}

export function isComputedResource(rt: ResourceType): rt is ComputedResourceType {
  return (rt as Partial<ComputedResourceType>).computed === true;
}
