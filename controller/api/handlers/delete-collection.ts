import type { KubeObject } from "../../resources/kube-object.js";
import type { RequestContext } from "../context.js";
import { apiVersionOf } from "../objects/api-object.js";
import { deleteOptions } from "../objects/delete-options.js";
import { deleteWithOptions } from "../objects/delete-object.js";
import { listObjects } from "../objects/list-objects.js";
import { decodeBody, readBody } from "../request-body.js";
import { sendJson } from "../respond.js";
import { ApiError } from "../status.js";
import { selectorMatcher } from "./selector-query.js";

/** DELETE of a collection: each matching object as a single DELETE would; answers the list. */
export async function deleteCollection(ctx: RequestContext): Promise<void> {
  const { rt, deps, info } = ctx;
  const raw = await readBody(ctx.req);
  const body = raw.length === 0 ? undefined : decodeBody(raw, ctx.req.headers["content-type"]);
  const options = deleteOptions(body, ctx.url.searchParams);
  const page = await listObjects(deps.resources, rt, info.namespace, {
    matches: selectorMatcher(rt, ctx.url.searchParams),
    limit: 0,
  });
  const items: KubeObject[] = [];
  for (const obj of page.items) {
    const meta = obj.metadata ?? {};
    try {
      const outcome = await deleteWithOptions(
        deps,
        rt,
        meta.namespace ?? "",
        meta.name ?? "",
        options,
      );
      items.push(outcome.object);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  }
  sendJson(ctx.res, 200, {
    kind: rt.listKind,
    apiVersion: apiVersionOf(rt),
    metadata: { resourceVersion: String(page.revision) },
    items,
  });
}
