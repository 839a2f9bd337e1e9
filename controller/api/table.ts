import type { KubeObject } from "../resources/kube-object.js";
import type { ResourceType } from "../resources/resource-type.js";

export const tableContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";

/** True when the client asked for a server-side Table (kubectl get without -o json/yaml). */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? "")
    .split(",")
    .some((part) => /;\s*as=Table/.test(part) && /g=meta\.k8s\.io/.test(part));
}

export type IncludeObject = "None" | "Metadata" | "Object";

export function includeObjectParam(value: string | null): IncludeObject {
  return value === "None" || value === "Object" ? value : "Metadata";
}

/** The objects as a meta.k8s.io/v1 Table: the kind's columns, one row per object. */
export function buildTable(
  rt: ResourceType,
  objects: KubeObject[],
  options: {
    now: Date;
    resourceVersion?: string;
    continueToken?: string;
    includeObject: IncludeObject;
    withColumns?: boolean;
  },
): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  if (options.continueToken) metadata.continue = options.continueToken;
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    columnDefinitions: options.withColumns === false ? null : rt.tableColumns,
    rows: objects.map((obj) => ({
      cells: rt.tableRow(obj, options.now),
      ...(options.includeObject === "None"
        ? {}
        : { object: rowObject(obj, options.includeObject) }),
    })),
  };
}

function rowObject(obj: KubeObject, include: IncludeObject): KubeObject {
  if (include === "Object") return obj;
  const meta = { ...obj.metadata };
  delete meta.managedFields;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: meta };
}
