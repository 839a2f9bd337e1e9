import type { RequestContext } from "../context.js";
import { connectSubresources, type ConnectSubresource } from "../node-proxy/connect-options.js";
import { serveConnect } from "../node-proxy/serve-connect.js";
import { serveLog } from "../node-proxy/serve-log.js";
import { serviceUnavailable } from "../status.js";

/**
 * pods/log, pods/exec, pods/attach and pods/portforward: served by the pod's node, whose agent
 * the controller proxies to, as kube-apiserver proxies to the kubelet.
 */
export async function nodeStreaming(ctx: RequestContext): Promise<void> {
  const { info } = ctx;
  const streaming = ctx.deps.streaming;
  if (!streaming) {
    await ctx.deps.resources.get(ctx.rt, info.namespace, info.name);
    throw serviceUnavailable(
      `pods "${info.name}": ${info.subresource} is served by the pod's node, and this controller has no kubelet client certificate to reach nodes with`,
    );
  }
  if (connectSubresources.includes(info.subresource)) {
    return serveConnect(ctx, streaming, info.subresource as ConnectSubresource);
  }
  return serveLog(ctx, streaming);
}
