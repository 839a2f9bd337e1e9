import { configMapResource } from "./kinds/configmaps.js";
import { deploymentResource } from "./kinds/deployments.js";
import { eventResource } from "./kinds/events.js";
import { leaseResource } from "./kinds/leases.js";
import { namespaceResource } from "./kinds/namespaces.js";
import { nodeResource } from "./kinds/nodes.js";
import { podResource } from "./kinds/pods.js";
import { replicaSetResource } from "./kinds/replicasets.js";
import { secretResource } from "./kinds/secrets.js";
import { serviceResource } from "./kinds/services.js";
import type { ResourceType } from "./resource-type.js";

/** Every kind the controller serves: core first, then named groups (discovery order). */
export const builtinResourceTypes: ResourceType[] = [
  namespaceResource,
  podResource,
  nodeResource,
  eventResource,
  configMapResource,
  secretResource,
  serviceResource,
  deploymentResource,
  replicaSetResource,
  leaseResource,
];

/** The kind served at /api[s]/{group}/{version}/{plural}, if any. */
export function findResource(
  group: string,
  version: string,
  plural: string,
  types: ResourceType[] = builtinResourceTypes,
): ResourceType | undefined {
  return types.find((t) => t.group === group && t.version === version && t.plural === plural);
}

/** The kind a body names with apiVersion ("v1", "apps/v1") and kind ("Pod"), if any. */
export function findByKind(
  apiVersion: string,
  kind: string,
  types: ResourceType[] = builtinResourceTypes,
): ResourceType | undefined {
  const slash = apiVersion.indexOf("/");
  const group = slash >= 0 ? apiVersion.slice(0, slash) : "";
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  return types.find((t) => t.group === group && t.version === version && t.kind === kind);
}
