import type { RequestContext } from "../context.js";
import { parsePodLogOptions } from "./log-options.js";
import type { NodeStreamingConfig } from "./node-streaming-config.js";
import { proxyContainerLog } from "./proxy-log.js";
import { agentPath, resolveStreamTarget } from "./stream-target.js";

/**
 * GET pods/<name>/log: the container's log from its node's agent. A pod not bound to a node has
 * no log yet: an empty answer, as kube-apiserver gives.
 */
export async function serveLog(ctx: RequestContext, config: NodeStreamingConfig): Promise<void> {
  const { info, res } = ctx;
  const options = parsePodLogOptions(ctx.url.searchParams, info.name);
  const target = await resolveStreamTarget(
    ctx.deps,
    config,
    info.namespace,
    info.name,
    options.container,
  );
  if (!target.endpoint) {
    res.writeHead(200, { "content-type": "text/plain", "content-length": 0 });
    res.end();
    return;
  }
  const query = options.agentQuery.toString();
  await proxyContainerLog({
    config,
    endpoint: target.endpoint,
    path: agentPath("containerLogs", target) + (query ? `?${query}` : ""),
    insecureSkipTlsVerify: options.insecureSkipTlsVerify,
    res,
    logger: ctx.deps.logger,
  });
}
