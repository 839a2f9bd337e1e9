import type { KubeObject } from "../../resources/kube-object.js";
import type { RequestContext } from "../context.js";
import { clone, nowTimestamp } from "../objects/api-object.js";
import { checkFields, fieldValidationParam } from "../objects/field-validation.js";
import { incomingObject } from "../objects/incoming-object.js";
import { admitIntoNamespace } from "../objects/namespace-admission.js";
import { setCreateMetadata } from "../objects/new-object-meta.js";
import { validateCreate } from "../objects/validate-object.js";
import { recordManager } from "../objects/managed-fields.js";
import { decodeBody, readBody } from "../request-body.js";
import { addWarnings, sendJson } from "../respond.js";
import { badRequest } from "../status.js";
import { dryRunParam } from "./dry-run.js";

// Status these kinds start with is the server's (Kubernetes' PrepareForCreate resets it).
const statusResetOnCreate = new Set(["pods", "deployments", "replicasets"]);

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

/** Defaults, metadata, validation and admission for a new object, then the write (unless dry run). */
export async function createPrepared(
  ctx: RequestContext,
  obj: KubeObject,
  fieldManager: string | null,
  operation: "Update" | "Apply" = "Update",
): Promise<KubeObject> {
  const { rt, deps } = ctx;
  const meta = obj.metadata ?? {};
  if (!meta.name && !meta.generateName) {
    throw badRequest("name or generateName is required");
  }
  const namespace = rt.namespaced ? (meta.namespace ?? "") : "";
  if (rt.namespaced && !namespace) throw badRequest("the namespace of the object is required");
  setCreateMetadata(obj, nowTimestamp(deps.now()));
  if (statusResetOnCreate.has(rt.plural)) delete obj.status;
  rt.applyDefaults(obj);
  validateCreate(rt, obj);
  const managed = recordManager(undefined, obj, {
    manager: fieldManager ?? defaultManager(ctx),
    operation,
    now: nowTimestamp(deps.now()),
  });
  await admitIntoNamespace(deps, rt, namespace, obj.metadata?.name ?? "");
  if (dryRunParam(ctx.url.searchParams)) return clone(managed);
  return deps.resources.create(rt, namespace, managed);
}

/** Kubernetes names the manager after the client's user agent when a request names none. */
export function defaultManager(ctx: RequestContext): string {
  const agent = ctx.req.headers["user-agent"] ?? "unknown";
  return agent.split("/")[0] || "unknown";
}
