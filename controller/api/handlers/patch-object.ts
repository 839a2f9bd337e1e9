import type { KubeObject } from "../../resources/kube-object.js";
import type { RequestContext } from "../context.js";
import { apiVersionOf, clone } from "../objects/api-object.js";
import { checkFields, fieldValidationParam } from "../objects/field-validation.js";
import { incomingObject } from "../objects/incoming-object.js";
import { applyConfiguration } from "../objects/apply-configuration.js";
import { applyPatch, patchTypeOf } from "../objects/patch-body.js";
import { prepareUpdate } from "../objects/prepare-update.js";
import { decodeBody, readBody } from "../request-body.js";
import { addWarnings, sendJson } from "../respond.js";
import { ApiError, badRequest } from "../status.js";
import { createPrepared, defaultManager } from "./create-object.js";
import { dryRunParam } from "./dry-run.js";

/**
 * PATCH of an object or its status, by Content-Type: JSON patch, merge patch, strategic merge
 * patch, or server-side apply (which creates a missing object). A patch that changes nothing
 * writes nothing: same resourceVersion, no watch event.
 */
export async function patchObject(ctx: RequestContext): Promise<void> {
  const { rt, deps, info } = ctx;
  const query = ctx.url.searchParams;
  const type = patchTypeOf(ctx.req.headers["content-type"]);
  const patch = decodeBody(await readBody(ctx.req), ctx.req.headers["content-type"]);
  const mode = fieldValidationParam(query.get("fieldValidation"));
  const dryRun = dryRunParam(query);
  const fieldManager = query.get("fieldManager");
  if (type === "apply" && !fieldManager) {
    throw badRequest("PATCH: fieldManager is required for apply requests");
  }
  const manager = fieldManager ?? defaultManager(ctx);
  const force = query.get("force") === "true";

  let warnings: string[] = [];
  let preview: KubeObject | undefined;
  try {
    const result = await deps.resources.update(rt, info.namespace, info.name, (current) => {
      let patched: KubeObject;
      if (type === "apply") {
        const applied = incomingObject(clone(patch), rt, {
          namespace: info.namespace,
          name: info.name,
        });
        warnings = checkFields(rt, applied, mode);
        patched = applyConfiguration(rt, current, applied, {
          manager,
          force,
          now: deps.now(),
          subresource: info.subresource,
        });
      } else {
        patched = applyPatch(type, current, patch, rt);
        warnings = checkFields(rt, patched, mode);
      }
      const next = prepareUpdate(rt, current, patched, {
        subresource: info.subresource,
        fieldManager: manager,
        operation: type === "apply" ? "Apply" : "Update",
        now: deps.now(),
      });
      if (!dryRun) return next;
      preview = next;
      return undefined;
    });
    addWarnings(ctx.res, warnings);
    sendJson(ctx.res, 200, preview ?? result.object);
  } catch (err) {
    if (!(type === "apply" && err instanceof ApiError && err.code === 404 && !info.subresource)) {
      throw err;
    }
    // Server-side apply of an object that does not exist yet creates it.
    const applied = incomingObject(clone(patch), rt, {
      namespace: info.namespace,
      name: info.name,
    });
    warnings = checkFields(rt, applied, mode);
    const fresh = applyConfiguration(rt, undefined, applied, { manager, force, now: deps.now() });
    fresh.apiVersion = apiVersionOf(rt);
    const created = await createPrepared(ctx, fresh, manager, "Apply");
    addWarnings(ctx.res, warnings);
    sendJson(ctx.res, 201, created);
  }
}
