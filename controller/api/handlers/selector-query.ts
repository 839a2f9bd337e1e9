import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import { parseFieldSelector } from "../selectors/field-selector.js";
import { parseLabelSelector } from "../selectors/label-selector.js";

const supportedCache = new WeakMap<ResourceType, ReadonlySet<string>>();

/** The field labels a kind supports in fieldSelector. */
export function supportedFields(rt: ResourceType): ReadonlySet<string> {
  let set = supportedCache.get(rt);
  if (!set) {
    set = new Set([
      "metadata.name",
      "metadata.namespace",
      ...Object.keys(rt.fieldLabels({ metadata: {} })),
    ]);
    supportedCache.set(rt, set);
  }
  return set;
}

/** labelSelector and fieldSelector of a list or watch as one predicate. */
export function selectorMatcher(rt: ResourceType, query: URLSearchParams) {
  const labels = parseLabelSelector(query.get("labelSelector"));
  const fields = parseFieldSelector(query.get("fieldSelector"), supportedFields(rt));
  return (obj: KubeObject) => labels(obj.metadata?.labels) && fields(fieldValues(rt, obj));
}

function fieldValues(rt: ResourceType, obj: KubeObject): Record<string, string> {
  return {
    "metadata.name": obj.metadata?.name ?? "",
    "metadata.namespace": obj.metadata?.namespace ?? "",
    ...rt.fieldLabels(obj),
  };
}
