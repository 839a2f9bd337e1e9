import type { RequestContext } from "../context.js";
import { apiVersionOf } from "../objects/api-object.js";
import { listObjects } from "../objects/list-objects.js";
import { sendJson } from "../respond.js";
import { badRequest } from "../status.js";
import { buildTable, includeObjectParam, tableContentType, wantsTable } from "../table.js";
import { selectorMatcher } from "./selector-query.js";

/** GET a collection: selectors, limit/continue, exact-revision reads, Tables. */
export async function listCollection(ctx: RequestContext): Promise<void> {
  const { rt, deps } = ctx;
  const query = ctx.url.searchParams;
  const page = await listObjects(deps.resources, rt, ctx.info.namespace, {
    matches: selectorMatcher(rt, query),
    limit: nonNegativeInt(query.get("limit"), "limit"),
    continueToken: query.get("continue") || undefined,
    revision:
      query.get("resourceVersionMatch") === "Exact"
        ? nonNegativeInt(query.get("resourceVersion"), "resourceVersion")
        : undefined,
  });
  const resourceVersion = String(page.revision);
  if (wantsTable(ctx.req.headers.accept)) {
    const table = buildTable(rt, page.items, {
      now: deps.now(),
      resourceVersion,
      continueToken: page.continueToken,
      includeObject: includeObjectParam(query.get("includeObject")),
    });
    sendJson(ctx.res, 200, table, tableContentType);
    return;
  }
  sendJson(ctx.res, 200, {
    kind: rt.listKind,
    apiVersion: apiVersionOf(rt),
    metadata: {
      resourceVersion,
      ...(page.continueToken ? { continue: page.continueToken } : {}),
    },
    items: page.items,
  });
}

export function nonNegativeInt(text: string | null, name: string): number {
  if (text === null || text === "") return 0;
  if (!/^\d+$/.test(text)) throw badRequest(`invalid ${name}: ${JSON.stringify(text)}`);
  return Number(text);
}
