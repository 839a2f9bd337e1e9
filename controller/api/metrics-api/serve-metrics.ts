import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import type { RequestContext } from "../context.js";
import { selectorMatcher } from "../handlers/selector-query.js";
import { listObjects } from "../objects/list-objects.js";
import { sendJson } from "../respond.js";
import { internalError, methodNotAllowed, notFound, serviceUnavailable } from "../status.js";
import { buildTable, includeObjectParam, tableContentType, wantsTable } from "../table.js";
import { collectNodeMetrics, collectPodMetrics } from "./collect-metrics.js";
import { metricsApiVersion } from "./metrics-objects.js";
import type { NodeSampleCache } from "./sample-cache.js";

/** GET nodes.metrics.k8s.io: one node's NodeMetrics, or a list filtered by the nodes' labels and names. */
export async function serveNodeMetrics(ctx: RequestContext, cache: NodeSampleCache | undefined) {
  const samples = readable(ctx, cache);
  const nodes = coreType(ctx, "nodes");
  const { deps, info } = ctx;
  if (info.verb === "get") {
    const node = await deps.resources.tryGetAny(nodes, "", info.name);
    const [item] = node ? await collectNodeMetrics([node], samples, deps.now()) : [];
    if (!item) throw notFound(subject(ctx.rt, info.name));
    return answer(ctx, [item], true);
  }
  const page = await listObjects(deps.resources, nodes, "", {
    matches: selectorMatcher(ctx.rt, ctx.url.searchParams),
    limit: 0,
    notOlderThan: 0,
  });
  return answer(ctx, await collectNodeMetrics(page.items, samples, deps.now()), false);
}

/**
 * GET pods.metrics.k8s.io in a namespace or across all: one pod's PodMetrics, or a list filtered
 * by the pods' labels, names and namespaces. A pod with no metrics yet is not listed; asked for
 * by name it is 404, as metrics-server answers.
 */
export async function servePodMetrics(ctx: RequestContext, cache: NodeSampleCache | undefined) {
  const samples = readable(ctx, cache);
  const pods = coreType(ctx, "pods");
  const nodes = coreType(ctx, "nodes");
  const { deps, info } = ctx;
  let selected: KubeObject[];
  if (info.verb === "get") {
    const pod = await deps.resources.tryGetAny(pods, info.namespace, info.name);
    if (!pod) throw notFound({ resource: "pods", group: "", kind: "Pod", name: info.name });
    selected = [pod];
  } else {
    const page = await listObjects(deps.resources, pods, info.namespace, {
      matches: selectorMatcher(ctx.rt, ctx.url.searchParams),
      limit: 0,
      notOlderThan: 0,
    });
    selected = page.items;
  }
  const allNodes = await listObjects(deps.resources, nodes, "", {
    matches: () => true,
    limit: 0,
    notOlderThan: 0,
  });
  const items = await collectPodMetrics(selected, allNodes.items, samples, deps.now());
  if (info.verb !== "get") return answer(ctx, items, false);
  if (items.length === 0) throw notFound(subject(ctx.rt, `${info.namespace}/${info.name}`));
  return answer(ctx, items, true);
}

/** Only get and list are served, and only when the controller can reach agents. */
function readable(ctx: RequestContext, cache: NodeSampleCache | undefined): NodeSampleCache {
  if (ctx.info.verb !== "get" && ctx.info.verb !== "list") {
    throw methodNotAllowed("the server does not allow this method on the requested resource");
  }
  if (!cache) {
    throw serviceUnavailable(
      "the metrics API needs the kubelet client certificate to read node agents " +
        "(--kubelet-client-certificate and --kubelet-client-key)",
    );
  }
  return cache;
}

function coreType(ctx: RequestContext, plural: string): ResourceType {
  const rt = ctx.deps.registry.find("", "v1", plural);
  if (!rt) throw internalError(`${plural} are not served`);
  return rt;
}

function subject(rt: ResourceType, name: string) {
  return { resource: rt.plural, group: rt.group, kind: rt.kind, name };
}

function answer(ctx: RequestContext, items: KubeObject[], single: boolean): void {
  const { rt, res } = ctx;
  if (wantsTable(ctx.req.headers.accept)) {
    const table = buildTable(rt, items, {
      now: ctx.deps.now(),
      includeObject: includeObjectParam(ctx.url.searchParams.get("includeObject")),
    });
    return sendJson(res, 200, table, tableContentType);
  }
  if (single) return sendJson(res, 200, items[0]);
  sendJson(res, 200, { kind: rt.listKind, apiVersion: metricsApiVersion, metadata: {}, items });
}
