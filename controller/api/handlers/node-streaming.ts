import type { RequestContext } from "../context.js";
import { serviceUnavailable } from "../status.js";

/** pods/log and pods/exec are served by the pod's node; until nodes serve streaming, 503. */
export async function nodeStreaming(ctx: RequestContext): Promise<void> {
  const { info } = ctx;
  await ctx.deps.resources.get(ctx.rt, info.namespace, info.name);
  throw serviceUnavailable(
    `pods "${info.name}": ${info.subresource} is served by the pod's node, and nodes do not serve streaming yet`,
  );
}
