import { execStream } from "../runtime/container/exec-stream.js";
import {
  requireRunningContainer,
  type EndpointContext,
  type SessionContext,
  type StreamSession,
  type UpgradeEndpoint,
} from "./endpoint-context.js";
import { badRequest } from "./kube-status.js";
import { parseStreamOptions, type StreamOptions } from "./remote-command.js";
import { remoteCommandSession } from "./remote-command-session.js";
import type { StreamRoute } from "./stream-routes.js";

/** `/exec/{namespace}/{pod}/{container}?command=…&stdin&stdout&stderr&tty`. */
export function execEndpoint(ctx: EndpointContext): UpgradeEndpoint {
  return {
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
      return execSession(ctx, target.containerId, cmd, options);
    },
  };
}

/** Runs `cmd` in a running container for one client, however it connected. */
export function execSession(
  ctx: SessionContext,
  containerId: string,
  cmd: string[],
  options: StreamOptions,
): StreamSession {
  return remoteCommandSession(
    options,
    async (size) => {
      const exec = await execStream(ctx.runtime, containerId, {
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
}
