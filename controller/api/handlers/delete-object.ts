import type { RequestContext } from "../context.js";
import { deleteOptions } from "../objects/delete-options.js";
import { deleteWithOptions } from "../objects/delete-object.js";
import { decodeBody, readBody } from "../request-body.js";
import { sendJson } from "../respond.js";

/** DELETE of one object: 200 with the object (with deletionTimestamp while it is held). */
export async function deleteObject(ctx: RequestContext): Promise<void> {
  const { rt, deps, info } = ctx;
  const raw = await readBody(ctx.req);
  const body = raw.length === 0 ? undefined : decodeBody(raw, ctx.req.headers["content-type"]);
  const options = deleteOptions(body, ctx.url.searchParams);
  const outcome = await deleteWithOptions(deps, rt, info.namespace, info.name, options);
  sendJson(ctx.res, 200, outcome.object);
}
