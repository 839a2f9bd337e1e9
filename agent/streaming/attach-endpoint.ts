import { attachContainer } from "../runtime/container/attach-stream.js";
import {
  requireRunningContainer,
  type EndpointContext,
  type SessionContext,
  type StreamSession,
  type UpgradeEndpoint,
} from "./endpoint-context.js";
import { parseStreamOptions, type StreamOptions } from "./remote-command.js";
import { remoteCommandSession } from "./remote-command-session.js";
import type { StreamRoute } from "./stream-routes.js";

/** The container attach acts on, and how it was created. */
export interface AttachTarget {
  containerId: string;
  tty: boolean;
  stdin: boolean;
}

/**
 * `/attach/{namespace}/{pod}/{container}?stdin&stdout&stderr&tty`: the container's output from
 * now on, input to its stdin when it keeps one open. Input for a container without stdin is
 * dropped, as kubelet does. Ends with Success when the container's output ends.
 */
export function attachEndpoint(ctx: EndpointContext): UpgradeEndpoint {
  return {
    async prepare(route: StreamRoute, query: URLSearchParams) {
      if (route.endpoint !== "attach") throw new Error(`attach endpoint given ${route.endpoint}`);
      const options = parseStreamOptions(query);
      const target = await requireRunningContainer(ctx, route);
      ctx.logger.info("attach", {
        pod: `${route.namespace}/${route.pod}`,
        container: target.containerId,
      });
      return attachSession(ctx, target, options);
    },
  };
}

/** Attaches one client to a running container, however it connected. */
export function attachSession(
  ctx: SessionContext,
  target: AttachTarget,
  options: StreamOptions,
): StreamSession {
  return remoteCommandSession(
    options,
    async (size) => {
      const attached = await attachContainer(ctx.runtime, target.containerId, {
        stdin: options.stdin && target.stdin,
      });
      if (size && target.tty) await attached.resize(size).catch(() => undefined);
      return {
        stdin: attached.stdin,
        stdout: attached.stdout,
        stderr: attached.stderr,
        resize: (next) => (target.tty ? attached.resize(next) : undefined),
        finished: attached.ended.then(() => undefined),
        stop: () => attached.detach(),
      };
    },
    ctx.logger,
  );
}
