import type { KubeObject } from "../../resources/kube-object.js";
import { labelSelectorString } from "../../resources/tables/label-selector-text.js";
import type { RequestContext } from "../context.js";
import { clone } from "../objects/api-object.js";
import { applyPatch, patchTypeOf } from "../objects/patch-body.js";
import { prepareUpdate } from "../objects/prepare-update.js";
import { asObject, decodeBody, readBody } from "../request-body.js";
import { sendJson } from "../respond.js";
import { badRequest, invalid, staleObject } from "../status.js";
import { defaultManager } from "./create-object.js";

/** A deployment or replica set as an autoscaling/v1 Scale. */
function toScale(obj: KubeObject): KubeObject {
  const meta = obj.metadata ?? {};
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: unknown };
  const status = (obj.status ?? {}) as { replicas?: number };
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: {
      replicas: status.replicas ?? 0,
      selector: labelSelectorString(spec.selector) ?? "",
    },
  };
}

/** GET, PUT and PATCH of deployments/<name>/scale and replicasets/<name>/scale. */
export async function scaleObject(ctx: RequestContext): Promise<void> {
  const { rt, deps, info } = ctx;
  const method = ctx.req.method ?? "GET";
  if (method === "GET") {
    sendJson(ctx.res, 200, toScale(await deps.resources.get(rt, info.namespace, info.name)));
    return;
  }
  const raw = decodeBody(await readBody(ctx.req), ctx.req.headers["content-type"]);
  const type = method === "PATCH" ? patchTypeOf(ctx.req.headers["content-type"]) : undefined;
  if (type === "apply") throw badRequest("server-side apply is not supported on scale");
  const result = await deps.resources.update(rt, info.namespace, info.name, (current) => {
    const scale = toScale(current);
    const wanted = type ? applyPatch(type, scale, raw, undefined) : asObject(raw, "Scale");
    const rv = (wanted.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
    if (rv && rv !== current.metadata?.resourceVersion) {
      throw staleObject({ resource: rt.plural, group: rt.group, kind: rt.kind, name: info.name });
    }
    const replicas = (wanted.spec as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid({ resource: rt.plural, group: "autoscaling", kind: "Scale", name: info.name }, [
        {
          reason: "FieldValueInvalid",
          message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
          field: "spec.replicas",
        },
      ]);
    }
    const next = clone(current);
    (next.spec as { replicas?: number }).replicas = replicas;
    return prepareUpdate(rt, current, next, {
      subresource: "",
      fieldManager: ctx.url.searchParams.get("fieldManager") ?? defaultManager(ctx),
      now: deps.now(),
    });
  });
  sendJson(ctx.res, 200, toScale(result.object));
}
