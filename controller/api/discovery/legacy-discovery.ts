import type { ResourceType } from "../../resources/resource-type.js";
import type { ResourceRegistry } from "../resource-registry.js";
import { resourceVerbs, subresourceInfo } from "./resource-verbs.js";

/** GET /api */
export function apiVersions(serverAddress: string) {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function apiGroup(group: string, versions: string[]) {
  const entries = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions: entries, preferredVersion: entries[0] };
}

/** GET /apis */
export function apiGroupList(registry: ResourceRegistry) {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: registry
      .groups()
      .filter((g) => g.group !== "")
      .map((g) => apiGroup(g.group, g.versions)),
  };
}

/** GET /apis/<group> */
export function apiGroupDocument(registry: ResourceRegistry, group: string) {
  const found = registry.groups().find((g) => g.group === group && group !== "");
  return found && { kind: "APIGroup", apiVersion: "v1", ...apiGroup(found.group, found.versions) };
}

function resourceEntries(rt: ResourceType) {
  const main = {
    name: rt.plural,
    singularName: rt.singular,
    namespaced: rt.namespaced,
    kind: rt.kind,
    verbs: resourceVerbs(rt),
    ...(rt.shortNames.length ? { shortNames: rt.shortNames } : {}),
    ...(rt.categories.length ? { categories: rt.categories } : {}),
  };
  const subs = rt.subresources.map((name) => {
    const sub = subresourceInfo(rt, name);
    const foreign = sub.group !== rt.group || sub.version !== rt.version;
    return {
      name: `${rt.plural}/${name}`,
      singularName: "",
      namespaced: rt.namespaced,
      kind: sub.kind,
      verbs: sub.verbs,
      ...(foreign ? { group: sub.group, version: sub.version } : {}),
    };
  });
  return [main, ...subs];
}

/** GET /api/v1 and /apis/<group>/<version>: the APIResourceList, subresources included. */
export function apiResourceList(registry: ResourceRegistry, group: string, version: string) {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const resources = types.flatMap(resourceEntries);
  if (group === "" && version === "v1") {
    resources.push({
      name: "bindings",
      singularName: "binding",
      namespaced: true,
      kind: "Binding",
      verbs: ["create"],
    });
  }
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}
