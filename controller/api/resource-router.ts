import type { RequestContext } from "./context.js";
import { bindPod } from "./handlers/bind-pod.js";
import { createObject } from "./handlers/create-object.js";
import { deleteCollection } from "./handlers/delete-collection.js";
import { deleteObject } from "./handlers/delete-object.js";
import { evictPod } from "./handlers/evict-pod.js";
import { getObject } from "./handlers/get-object.js";
import { listCollection } from "./handlers/list-collection.js";
import { nodeStreaming } from "./handlers/node-streaming.js";
import { patchObject } from "./handlers/patch-object.js";
import { replaceObject } from "./handlers/replace-object.js";
import { scaleObject } from "./handlers/scale-object.js";
import { watchCollection } from "./handlers/watch-collection.js";
import { isComputedResource } from "./metrics-api/computed-resource-type.js";
import { methodNotAllowed, notFound } from "./status.js";

type Handler = (ctx: RequestContext) => Promise<void>;

const mainVerbs: Record<string, Handler> = {
  get: getObject,
  list: listCollection,
  watch: watchCollection,
  create: createObject,
  update: replaceObject,
  patch: patchObject,
  delete: deleteObject,
  deletecollection: deleteCollection,
};

const subresourceVerbs: Record<string, Record<string, Handler>> = {
  status: { get: getObject, update: replaceObject, patch: patchObject },
  finalize: { update: replaceObject },
  scale: { get: scaleObject, update: scaleObject, patch: scaleObject },
  binding: { create: bindPod },
  eviction: { create: evictPod },
  log: { get: nodeStreaming },
  exec: { get: nodeStreaming, create: nodeStreaming },
  attach: { get: nodeStreaming, create: nodeStreaming },
  portforward: { get: nodeStreaming, create: nodeStreaming },
};

/** Sends a resource request to the handler for its subresource and verb. */
export async function routeResource(ctx: RequestContext): Promise<void> {
  const { info, rt } = ctx;
  if (isComputedResource(rt) && !info.subresource) return rt.serve(ctx);
  if (!info.subresource) {
    const handler = mainVerbs[info.verb];
    if (!handler) throw methodNotAllowed(`${ctx.req.method} is not supported on ${rt.plural}`);
    return handler(ctx);
  }
  const verbs =
    rt.subresources.includes(info.subresource) ||
    (info.subresource === "finalize" && rt.plural === "namespaces")
      ? subresourceVerbs[info.subresource]
      : undefined;
  if (!verbs) {
    throw notFound({
      resource: `${rt.plural}/${info.subresource}`,
      group: rt.group,
      kind: rt.kind,
      name: info.name,
    });
  }
  const handler = verbs[info.verb];
  if (!handler) {
    throw methodNotAllowed(
      `${ctx.req.method} is not supported on ${rt.plural}/${info.subresource}`,
    );
  }
  return handler(ctx);
}
