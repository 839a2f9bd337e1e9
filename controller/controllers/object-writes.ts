import type { ApiDeps } from "../api/context.js";
import { clone } from "../api/objects/api-object.js";
import { prepareUpdate } from "../api/objects/prepare-update.js";
import { staleObject } from "../api/status.js";
import type { KubeObject } from "../resources/kube-object.js";
import type { ResourceType } from "../resources/resource-type.js";

/**
 * Writes a controller's decision about `seen` (an informer's copy), but only if the stored object
 * is still that version: a decision made from a stale cache must not land (409, retried later),
 * as client-go controllers update with the cached resourceVersion.
 */
export async function updateSeen(
  deps: ApiDeps,
  rt: ResourceType,
  seen: KubeObject,
  change: (obj: KubeObject) => void,
  options: { subresource?: "" | "status"; manager: string },
): Promise<KubeObject> {
  const meta = seen.metadata ?? {};
  const result = await deps.resources.update(
    rt,
    meta.namespace ?? "",
    meta.name ?? "",
    (current) => {
      if (current.metadata?.resourceVersion !== meta.resourceVersion) {
        throw staleObject({ resource: rt.plural, group: rt.group, kind: rt.kind, name: meta.name });
      }
      const next = clone(current);
      change(next);
      return prepareUpdate(rt, current, next, {
        subresource: options.subresource ?? "",
        fieldManager: options.manager,
        now: deps.now(),
      });
    },
  );
  return result.object;
}
