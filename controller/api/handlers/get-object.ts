import type { RequestContext } from "../context.js";
import { sendJson } from "../respond.js";
import { buildTable, includeObjectParam, tableContentType, wantsTable } from "../table.js";

/** GET one object (as a one-row Table when kubectl asks for one). */
export async function getObject(ctx: RequestContext): Promise<void> {
  const { info, rt, deps } = ctx;
  const obj = await deps.resources.get(rt, info.namespace, info.name);
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
