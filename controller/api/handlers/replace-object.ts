import type { RequestContext } from "../context.js";
import { clone } from "../objects/api-object.js";
import { checkFields, fieldValidationParam } from "../objects/field-validation.js";
import { incomingObject } from "../objects/incoming-object.js";
import { prepareUpdate } from "../objects/prepare-update.js";
import { decodeBody, readBody } from "../request-body.js";
import { addWarnings, sendJson } from "../respond.js";
import { defaultManager } from "./create-object.js";
import { dryRunParam } from "./dry-run.js";

/** PUT of an object or its status: 200 with what was stored (409 on a stale resourceVersion). */
export async function replaceObject(ctx: RequestContext): Promise<void> {
  const { rt, deps, info } = ctx;
  const query = ctx.url.searchParams;
  const body = decodeBody(await readBody(ctx.req), ctx.req.headers["content-type"]);
  const incoming = incomingObject(body, rt, { namespace: info.namespace, name: info.name });
  const warnings = checkFields(rt, incoming, fieldValidationParam(query.get("fieldValidation")));
  const dryRun = dryRunParam(query);
  let preview = incoming;
  const result = await deps.resources.update(rt, info.namespace, info.name, (current) => {
    const next = prepareUpdate(rt, current, clone(incoming), {
      subresource: info.subresource,
      fieldManager: query.get("fieldManager") ?? defaultManager(ctx),
      now: deps.now(),
    });
    if (!dryRun) return next;
    preview = next;
    return undefined;
  });
  addWarnings(ctx.res, warnings);
  sendJson(ctx.res, 200, dryRun ? preview : result.object);
}
