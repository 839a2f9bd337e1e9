import { createHash } from "node:crypto";
import type { FieldSchema, ResourceType } from "../../resources/resource-type.js";
import type { ResourceRegistry } from "../resource-registry.js";
import { resourceVerbs } from "./resource-verbs.js";

const gvPath = (group: string, version: string) =>
  group ? `apis/${group}/${version}` : `api/${version}`;

function toOpenApi(schema: FieldSchema): Record<string, unknown> {
  switch (schema.type) {
    case "object":
      return {
        type: "object",
        properties: Object.fromEntries(
          Object.entries(schema.properties).map(([k, v]) => [k, toOpenApi(v)]),
        ),
      };
    case "map":
      return { type: "object", additionalProperties: toOpenApi(schema.values) };
    case "array":
      return { type: "array", items: toOpenApi(schema.items) };
    case "any":
      return { "x-kubernetes-preserve-unknown-fields": true };
    default:
      return { type: schema.type };
  }
}

/**
 * The OpenAPI v3 document of one group-version: the kinds' schemas and a PATCH operation per
 * kind (with the fieldValidation parameter), which is what kubectl's apply and create -f look
 * for before leaving field validation to the server.
 */
export function openApiDocument(
  registry: ResourceRegistry,
  group: string,
  version: string,
  serverVersion: string,
) {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const rt of types) {
    const base = `/${gvPath(group, version)}${rt.namespaced ? "/namespaces/{namespace}" : ""}/${rt.plural}/{name}`;
    const gvk = { group, version, kind: rt.kind };
    if (resourceVerbs(rt).includes("patch")) {
      paths[base] = {
        patch: {
          "x-kubernetes-group-version-kind": gvk,
          parameters: [
            { name: "fieldValidation", in: "query", schema: { type: "string" } },
            { name: "fieldManager", in: "query", schema: { type: "string" } },
            { name: "dryRun", in: "query", schema: { type: "string" } },
          ],
          responses: { "200": { description: "OK" } },
        },
      };
    }
    schemas[schemaName(rt)] = { ...toOpenApi(rt.schema), "x-kubernetes-group-version-kind": [gvk] };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: serverVersion },
    paths,
    components: { schemas },
  };
}

function schemaName(rt: ResourceType): string {
  const group = rt.group === "" ? "core" : rt.group.split(".")[0];
  return `io.k8s.api.${group}.${rt.version}.${rt.kind}`;
}

/** GET /openapi/v3: each group-version's document under a content hash, as kubectl expects. */
export function openApiIndex(
  registry: ResourceRegistry,
  document: (g: string, v: string) => unknown,
) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const g of registry.groups()) {
    for (const v of g.versions) {
      const hash = createHash("sha512")
        .update(JSON.stringify(document(g.group, v)))
        .digest("hex")
        .slice(0, 128)
        .toUpperCase();
      paths[gvPath(g.group, v)] = {
        serverRelativeURL: `/openapi/v3/${gvPath(g.group, v)}?hash=${hash}`,
      };
    }
  }
  return { paths };
}
