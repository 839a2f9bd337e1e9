import { execStream } from "../runtime/container/exec-stream.js";
import {
  requireRunningContainer,
  type EndpointContext,
  type UpgradeEndpoint,
} from "./endpoint-context.js";
import { badRequest } from "./kube-status.js";
import { parseStreamOptions, runRemoteCommand } from "./remote-command.js";
import type { StreamRoute } from "./stream-routes.js";
import { remoteCommandProtocols } from "./ws-channels.js";

/** `/exec/{namespace}/{pod}/{container}?command=…&stdin&stdout&stderr&tty`. */
export function execEndpoint(ctx: EndpointContext): UpgradeEndpoint {
  return {
    protocols: remoteCommandProtocols,
    async prepare(route: StreamRoute, query: URLSearchParams) {
      if (route.endpoint !== "exec") throw new Error(`exec endpoint given ${route.endpoint}`);
      const cmd = query.getAll("command");
      if (cmd.length === 0 || cmd[0] === "") {
        throw badRequest("query parameter command: you must specify at least one command");
      }
      const options = parseStreamOptions(query);
      const target = await requireRunningContainer(ctx, route);
      ctx.logger.info("exec", {
        pod: `${route.namespace}/${route.pod}`,
        container: target.containerId,
        tty: options.tty,
      });
      return (socket) =>
        runRemoteCommand(
          socket,
          options,
          async (size) => {
            const exec = await execStream(ctx.runtime, target.containerId, {
              cmd,
              stdin: options.stdin,
              tty: options.tty,
              size,
            });
            return {
              stdin: exec.stdin,
              stdout: exec.stdout,
              stderr: exec.stderr,
              resize: (next) => exec.resize(next),
              finished: exec.exited,
              stop: () => exec.kill(),
            };
          },
          ctx.logger,
        );
    },
  };
}
