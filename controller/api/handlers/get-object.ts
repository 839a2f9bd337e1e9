import type { RequestContext } from "../context.js";
import { subjectOf } from "../objects/api-object.js";
import { notFound } from "../status.js";
import { sendJson } from "../respond.js";
import { buildTable, includeObjectParam, tableContentType, wantsTable } from "../table.js";

/**
 * GET one object (as a one-row Table when kubectl asks for one). resourceVersion=0 accepts any
 * recent state: the watch cache's; otherwise the read is consistent, from the store.
 */
export async function getObject(ctx: RequestContext): Promise<void> {
  const { info, rt, deps } = ctx;
  const anyVersion = ctx.url.searchParams.get("resourceVersion") === "0";
  const obj = anyVersion
    ? await deps.resources.tryGetAny(rt, info.namespace, info.name)
    : await deps.resources.get(rt, info.namespace, info.name);
  if (!obj) throw notFound(subjectOf(rt, info.name));
  if (wantsTable(ctx.req.headers.accept)) {
    const table = buildTable(rt, [obj], {
      now: deps.now(),
      resourceVersion: obj.metadata?.resourceVersion,
      includeObject: includeObjectParam(ctx.url.searchParams.get("includeObject")),
    });
    sendJson(ctx.res, 200, table, tableContentType);
    return;
  }
  sendJson(ctx.res, 200, obj);
}
