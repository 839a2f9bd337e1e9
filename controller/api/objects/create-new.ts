import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import type { ApiDeps } from "../context.js";
import { badRequest } from "../status.js";
import { clone, nowTimestamp } from "./api-object.js";
import { addDefaultTolerations } from "./default-toleration-seconds.js";
import { recordManager } from "./managed-fields.js";
import { admitIntoNamespace } from "./namespace-admission.js";
import { setCreateMetadata } from "./new-object-meta.js";
import { validateCreate } from "./validate-object.js";

// Status these kinds start with is the server's (Kubernetes' PrepareForCreate resets it).
const statusResetOnCreate = new Set(["pods", "deployments", "replicasets"]);

export interface CreateOptions {
  fieldManager: string;
  operation?: "Update" | "Apply";
  dryRun?: boolean;
}

/**
 * Defaults, server metadata, validation and namespace admission for a new object, then the write
 * (unless dry run): what every create goes through, from HTTP or from in-process controllers.
 */
export async function createNew(
  deps: ApiDeps,
  rt: ResourceType,
  obj: KubeObject,
  options: CreateOptions,
): Promise<KubeObject> {
  const meta = obj.metadata ?? {};
  if (!meta.name && !meta.generateName) {
    throw badRequest("name or generateName is required");
  }
  const namespace = rt.namespaced ? (meta.namespace ?? "") : "";
  if (rt.namespaced && !namespace) throw badRequest("the namespace of the object is required");
  setCreateMetadata(obj, nowTimestamp(deps.now()));
  if (statusResetOnCreate.has(rt.plural)) delete obj.status;
  rt.applyDefaults(obj);
  validateCreate(rt, obj);
  const managed = recordManager(undefined, obj, {
    manager: options.fieldManager,
    operation: options.operation ?? "Update",
    now: nowTimestamp(deps.now()),
  });
  await admitIntoNamespace(deps, rt, namespace, obj.metadata?.name ?? "");
  addDefaultTolerations(deps, rt, managed);
  if (options.dryRun) return clone(managed);
  return deps.resources.create(rt, namespace, managed);
}
