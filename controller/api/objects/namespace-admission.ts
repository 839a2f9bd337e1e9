import type { ResourceType } from "../../resources/resource-type.js";
import type { ApiDeps } from "../context.js";
import { forbidden, notFound } from "../status.js";

/**
 * Kubernetes' NamespaceLifecycle admission: new objects go only into namespaces that exist and
 * are not being deleted.
 */
export async function admitIntoNamespace(
  deps: ApiDeps,
  rt: ResourceType,
  namespace: string,
  name: string,
): Promise<void> {
  if (!rt.namespaced) return;
  const nsType = deps.registry.find("", "v1", "namespaces");
  if (!nsType) return;
  const ns = await deps.resources.tryGet(nsType, "", namespace);
  if (!ns)
    throw notFound({ resource: "namespaces", group: "", kind: "Namespace", name: namespace });
  if (
    ns.metadata?.deletionTimestamp ||
    (ns.status as { phase?: string })?.phase === "Terminating"
  ) {
    throw forbidden(
      `${rt.plural} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
    );
  }
}
