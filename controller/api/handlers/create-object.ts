import type { KubeObject } from "../../resources/kube-object.js";
import type { RequestContext } from "../context.js";
import { createNew } from "../objects/create-new.js";
import { checkFields, fieldValidationParam } from "../objects/field-validation.js";
import { incomingObject } from "../objects/incoming-object.js";
import { decodeBody, readBody } from "../request-body.js";
import { addWarnings, sendJson } from "../respond.js";
import { dryRunParam } from "./dry-run.js";

/** POST to a collection: 201 with the stored object. */
export async function createObject(ctx: RequestContext): Promise<void> {
  const { rt, info } = ctx;
  const query = ctx.url.searchParams;
  const body = decodeBody(await readBody(ctx.req), ctx.req.headers["content-type"]);
  const obj = incomingObject(body, rt, { namespace: info.namespace });
  const warnings = checkFields(rt, obj, fieldValidationParam(query.get("fieldValidation")));
  const created = await createPrepared(ctx, obj, query.get("fieldManager"));
  addWarnings(ctx.res, warnings);
  sendJson(ctx.res, 201, created);
}

/** A create from an HTTP request: its field manager and dry run. */
export function createPrepared(
  ctx: RequestContext,
  obj: KubeObject,
  fieldManager: string | null,
  operation: "Update" | "Apply" = "Update",
): Promise<KubeObject> {
  return createNew(ctx.deps, ctx.rt, obj, {
    fieldManager: fieldManager ?? defaultManager(ctx),
    operation,
    dryRun: dryRunParam(ctx.url.searchParams),
  });
}

/** Kubernetes names the manager after the client's user agent when a request names none. */
export function defaultManager(ctx: RequestContext): string {
  const agent = ctx.req.headers["user-agent"] ?? "unknown";
  return agent.split("/")[0] || "unknown";
}
