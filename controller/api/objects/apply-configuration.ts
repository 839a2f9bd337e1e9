import { applyConflictStatus } from "../../patch/apply-conflict.js";
import { serverSideApply } from "../../patch/server-side-apply.js";
import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import { ApiError } from "../status.js";
import { apiVersionOf, nowTimestamp } from "./api-object.js";

/**
 * Server-side apply of `applied` onto `live` (undefined: a create) for `manager`: 409 with the
 * conflicting fields unless `force`. Status is applied only through /status.
 */
export function applyConfiguration(
  rt: ResourceType,
  live: KubeObject | undefined,
  applied: KubeObject,
  options: { manager: string; force: boolean; now: Date; subresource?: string },
): KubeObject {
  const config = { ...applied };
  if (options.subresource === "status") {
    for (const key of Object.keys(config)) {
      if (!["apiVersion", "kind", "metadata", "status"].includes(key)) delete config[key];
    }
    config.metadata = { name: applied.metadata?.name, namespace: applied.metadata?.namespace };
  } else if (rt.statusSubresource) {
    delete config.status;
  }
  const result = serverSideApply(live, config, {
    manager: options.manager,
    force: options.force,
    apiVersion: apiVersionOf(rt),
    now: nowTimestamp(options.now),
    subresource: options.subresource || undefined,
  });
  if (result.conflicts.length > 0) {
    const status = applyConflictStatus(result.conflicts);
    throw new ApiError(409, "Conflict", status.message, {
      name: applied.metadata?.name,
      group: rt.group || undefined,
      kind: rt.plural,
      causes: status.causes,
    });
  }
  return result.object;
}
