import type { ResourceType } from "../../resources/resource-type.js";
import { isComputedResource } from "../metrics-api/computed-resource-type.js";

export const objectVerbs = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];

/** The verbs a kind's main resource takes: all of them, or a computed kind's own (get, list). */
export function resourceVerbs(rt: ResourceType): string[] {
  return isComputedResource(rt) ? rt.verbs : objectVerbs;
}

export interface SubresourceInfo {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

const connectOptionKinds: Record<string, string> = {
  exec: "PodExecOptions",
  attach: "PodAttachOptions",
  portforward: "PodPortForwardOptions",
};

/** What each subresource answers with, and the verbs it takes, as Kubernetes advertises them. */
export function subresourceInfo(rt: ResourceType, subresource: string): SubresourceInfo {
  const self = { group: rt.group, version: rt.version, kind: rt.kind };
  switch (subresource) {
    case "status":
      return { name: subresource, ...self, verbs: ["get", "patch", "update"] };
    case "scale":
      return {
        name: subresource,
        group: "autoscaling",
        version: "v1",
        kind: "Scale",
        verbs: ["get", "patch", "update"],
      };
    case "binding":
      return { name: subresource, group: "", version: "v1", kind: "Binding", verbs: ["create"] };
    case "eviction":
      return {
        name: subresource,
        group: "policy",
        version: "v1",
        kind: "Eviction",
        verbs: ["create"],
      };
    case "log":
      return { name: subresource, ...self, verbs: ["get"] };
    case "exec":
    case "attach":
    case "portforward":
      return {
        name: subresource,
        group: "",
        version: "v1",
        kind: connectOptionKinds[subresource],
        verbs: ["create", "get"],
      };
    default:
      return { name: subresource, ...self, verbs: ["get"] };
  }
}
