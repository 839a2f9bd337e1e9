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
  const limit = nonNegativeInt(query.get("limit"), "limit");
  const rvText = query.get("resourceVersion") ?? "";
  const match = query.get("resourceVersionMatch") ?? "";
  const page = await listObjects(deps.resources, rt, ctx.info.namespace, {
    matches: selectorMatcher(rt, query),
    limit,
    continueToken: query.get("continue") || undefined,
    revision: match === "Exact" ? nonNegativeInt(rvText, "resourceVersion") : undefined,
    notOlderThan: notOlderThan(rvText, match, limit),
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

/**
 * The revision a list may be served from memory at, as Kubernetes' resourceVersion semantics
 * allow: "0" is any; NotOlderThan (also an unset match without a limit) is at least that one.
 * Unset, Exact and a legacy rv with a limit (an exact read) go to the store.
 */
function notOlderThan(rvText: string, match: string, limit: number): number | undefined {
  if (rvText === "" || match === "Exact") return undefined;
  const revision = nonNegativeInt(rvText, "resourceVersion");
  if (revision === 0 || match === "NotOlderThan") return revision;
  return limit === 0 ? revision : undefined;
}

export function nonNegativeInt(text: string | null, name: string): number {
  if (text === null || text === "") return 0;
  if (!/^\d+$/.test(text)) throw badRequest(`invalid ${name}: ${JSON.stringify(text)}`);
  return Number(text);
}
