import type { RequestContext } from "../context.js";
import { deleteOptions } from "../objects/delete-options.js";
import { deleteWithOptions } from "../objects/delete-object.js";
import { asObject, decodeBody, readBody } from "../request-body.js";
import { sendJson } from "../respond.js";
import { badRequest } from "../status.js";

/**
 * POST pods/<name>/eviction: deletes the pod with the eviction's deleteOptions, 201 Success.
 * No PodDisruptionBudgets are served, so nothing blocks an eviction (no 429).
 */
export async function evictPod(ctx: RequestContext): Promise<void> {
  const { rt, deps, info } = ctx;
  const eviction = asObject(
    decodeBody(await readBody(ctx.req), ctx.req.headers["content-type"]),
    "Eviction",
  );
  const meta = (eviction.metadata ?? {}) as { name?: string };
  if (meta.name && meta.name !== info.name) {
    throw badRequest(`name in URL does not match name in Eviction object`);
  }
  const options = deleteOptions(eviction.deleteOptions ?? undefined, ctx.url.searchParams);
  await deleteWithOptions(deps, rt, info.namespace, info.name, options);
  sendJson(ctx.res, 201, {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    code: 201,
  });
}
