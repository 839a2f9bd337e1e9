import type { ResourceType } from "../../resources/resource-type.js";
import type { ResourceRegistry } from "../resource-registry.js";
import { resourceVerbs, subresourceInfo } from "./resource-verbs.js";

const v2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const v2beta1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

/**
 * The aggregated discovery Content-Type the client accepts (v2, or v2beta1 for kubectl ≤1.29),
 * or undefined for legacy discovery. kubectl decides by the answer's Content-Type.
 */
export function aggregatedDiscoveryType(accept: string | undefined): string | undefined {
  const offered = (accept ?? "").split(",").map((part) => {
    const params = new Map<string, string>();
    for (const p of part.split(";").slice(1)) {
      const [k, v] = p.split("=").map((x) => x.trim());
      params.set(k, v);
    }
    return params;
  });
  const wants = (version: string) =>
    offered.some(
      (p) =>
        p.get("g") === "apidiscovery.k8s.io" &&
        p.get("v") === version &&
        p.get("as") === "APIGroupDiscoveryList",
    );
  if (wants("v2")) return v2;
  if (wants("v2beta1")) return v2beta1;
  return undefined;
}

function resourceEntry(rt: ResourceType) {
  return {
    resource: rt.plural,
    responseKind: { group: rt.group, version: rt.version, kind: rt.kind },
    scope: rt.namespaced ? "Namespaced" : "Cluster",
    singularResource: rt.singular,
    verbs: resourceVerbs(rt),
    ...(rt.shortNames.length ? { shortNames: rt.shortNames } : {}),
    ...(rt.categories.length ? { categories: rt.categories } : {}),
    ...(rt.subresources.length
      ? {
          subresources: rt.subresources.map((name) => {
            const sub = subresourceInfo(rt, name);
            return {
              subresource: name,
              responseKind: { group: sub.group, version: sub.version, kind: sub.kind },
              verbs: sub.verbs,
            };
          }),
        }
      : {}),
  };
}

/** APIGroupDiscoveryList for /api (core: true) or /apis (the named groups). */
export function aggregatedDiscovery(registry: ResourceRegistry, core: boolean, apiVersion: string) {
  const groups = registry.groups().filter((g) => (g.group === "") === core);
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion,
    metadata: {},
    items: groups.map((g) => ({
      metadata: { name: g.group },
      versions: g.versions.map((version) => ({
        version,
        freshness: "Current",
        resources: registry.inGroupVersion(g.group, version).map(resourceEntry),
      })),
    })),
  };
}
