import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import type { ApiDeps } from "../context.js";
import { forbidden, notFound } from "../status.js";

/**
 * Kubernetes' NamespaceLifecycle admission: new objects go only into namespaces that exist and
 * are not being deleted. As kube-apiserver's, it asks the namespaces' watch cache first and the
 * store only when the cache does not show an active namespace (one created or deleted a moment
 * ago may not be in the cache yet).
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
  const key = deps.resources.keys.object(nsType, "", namespace);
  const cached = deps.resources.caches?.ready(nsType)?.get(key)?.object;
  if (cached && !terminating(cached)) return;
  const ns = await deps.resources.tryGet(nsType, "", namespace);
  if (!ns)
    throw notFound({ resource: "namespaces", group: "", kind: "Namespace", name: namespace });
  if (terminating(ns)) {
    throw forbidden(
      `${rt.plural} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
    );
  }
}

function terminating(ns: KubeObject): boolean {
  return (
    Boolean(ns.metadata?.deletionTimestamp) ||
    (ns.status as { phase?: string } | undefined)?.phase === "Terminating"
  );
}
