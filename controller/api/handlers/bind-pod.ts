import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import type { ApiDeps, RequestContext } from "../context.js";
import { nowTimestamp, subjectOf } from "../objects/api-object.js";
import { asObject, decodeBody, readBody } from "../request-body.js";
import { sendJson } from "../respond.js";
import { badRequest, conflict } from "../status.js";

interface Binding {
  metadata?: { name?: string; uid?: string };
  target?: { kind?: string; name?: string };
}

/**
 * POST pods/<name>/binding (and the older POST bindings): sets spec.nodeName of an unbound pod
 * and its PodScheduled condition, 201 Success. A bound or deleting pod, or another uid, is 409.
 */
export async function bindPod(ctx: RequestContext): Promise<void> {
  const { rt, deps, info } = ctx;
  const binding = asObject(
    decodeBody(await readBody(ctx.req), ctx.req.headers["content-type"]),
    "Binding",
  ) as Binding;
  const name = info.name || binding.metadata?.name || "";
  if (!name) throw badRequest("metadata.name: Required value: the Binding names the pod");
  const node = binding.target?.name;
  if (!node) throw badRequest("target.name: Required value: the Binding names the node");
  if (binding.target?.kind && binding.target.kind !== "Node") {
    throw badRequest(`target.kind: Unsupported value: ${JSON.stringify(binding.target.kind)}`);
  }
  await assignPod(deps, rt, info.namespace, name, node, binding.metadata?.uid);
  sendJson(ctx.res, 201, {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    code: 201,
  });
}

/**
 * Binds a pod to a node as a Binding does: only while unbound and not deleting (409 otherwise),
 * with PodScheduled=True. For the binding subresource and in-process schedulers alike.
 */
export async function assignPod(
  deps: ApiDeps,
  rt: ResourceType,
  namespace: string,
  name: string,
  node: string,
  uid?: string,
): Promise<void> {
  await deps.resources.update(rt, namespace, name, (pod: KubeObject) => {
    const meta = pod.metadata ?? {};
    const spec = (pod.spec ??= {}) as { nodeName?: string };
    const subject = subjectOf(rt, name);
    if (uid && uid !== meta.uid) {
      throw conflict(
        subject,
        `the UID in the precondition (${uid}) does not match the UID in record (${meta.uid}). The object might have been deleted and then recreated`,
      );
    }
    if (meta.deletionTimestamp) {
      throw conflict(subject, `pod ${name} is being deleted, cannot be assigned to a host`);
    }
    if (spec.nodeName) {
      throw conflict(subject, `pod ${name} is already assigned to node "${spec.nodeName}"`);
    }
    spec.nodeName = node;
    const status = (pod.status ??= {}) as { conditions?: Record<string, unknown>[] };
    const conditions = (status.conditions ?? []).filter((c) => c.type !== "PodScheduled");
    conditions.push({
      type: "PodScheduled",
      status: "True",
      lastProbeTime: null,
      lastTransitionTime: nowTimestamp(deps.now()),
    });
    status.conditions = conditions;
    return pod;
  });
}
