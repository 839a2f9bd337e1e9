import type { RequestContext } from "../context.js";
import { badRequest } from "../status.js";
import { parseConnectOptions, type ConnectSubresource } from "./connect-options.js";
import type { NodeStreamingConfig } from "./node-streaming-config.js";
import {
  serveTunneledPortForward,
  tunneledPortForwardProtocol,
} from "./port-forward/tunneled-port-forward.js";
import { proxyUpgrade } from "./proxy-upgrade.js";
import { agentPath, resolveStreamTarget } from "./stream-target.js";

const agentEndpoints: Record<ConnectSubresource, string> = {
  exec: "exec",
  attach: "attach",
  portforward: "portForward",
};

/**
 * pods/<name>/exec|attach|portforward: an upgrade (WebSocket, or SPDY from older clients) that
 * is proxied to the agent of the pod's node, which answers and then speaks the stream protocol
 * with the client directly through the controller.
 */
export async function serveConnect(
  ctx: RequestContext,
  config: NodeStreamingConfig,
  subresource: ConnectSubresource,
): Promise<void> {
  const { info } = ctx;
  const options = parseConnectOptions(subresource, ctx.url.searchParams);
  const target = await resolveStreamTarget(
    ctx.deps,
    config,
    info.namespace,
    info.name,
    options.container,
  );
  if (!target.endpoint) throw badRequest(`pod ${info.name} does not have a host assigned`);
  if (!ctx.upgrade || !ctx.req.headers.upgrade) throw badRequest("Upgrade request required");
  if (subresource === "portforward" && wantsTunneledSpdy(ctx.req)) {
    await serveTunneledPortForward({
      config,
      endpoint: target.endpoint,
      path: agentPath(agentEndpoints[subresource], target),
      req: ctx.req,
      res: ctx.res,
      upgrade: ctx.upgrade,
      logger: ctx.deps.logger,
    });
    return;
  }
  const query = options.agentQuery.toString();
  await proxyUpgrade({
    config,
    endpoint: target.endpoint,
    path: agentPath(agentEndpoints[subresource], target) + (query ? `?${query}` : ""),
    req: ctx.req,
    res: ctx.res,
    upgrade: ctx.upgrade,
    logger: ctx.deps.logger,
  });
}

// The agent serves WebSocket port forwarding itself; only SPDY tunneled in a WebSocket (kubectl
// 1.31+, which offers nothing else) needs the controller to speak SPDY.
function wantsTunneledSpdy(req: RequestContext["req"]): boolean {
  if (req.headers.upgrade?.toLowerCase() !== "websocket") return false;
  const offered = [req.headers["sec-websocket-protocol"] ?? []]
    .flat()
    .flatMap((h) => h.split(","))
    .map((p) => p.trim());
  return (
    offered.includes(tunneledPortForwardProtocol) &&
    !offered.some((p) => p.endsWith(".channel.k8s.io"))
  );
}
