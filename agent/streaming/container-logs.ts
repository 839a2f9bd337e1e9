import { once } from "node:events";
import type { ServerResponse } from "node:http";
import { requireContainer, type EndpointContext } from "./endpoint-context.js";
import { badRequest } from "./kube-status.js";
import { parseLogQuery } from "./log-query.js";
import { readContainerLog } from "./log-reader.js";

/**
 * `GET /containerLogs/{namespace}/{pod}/{container}?follow&tailLines&sinceSeconds|sinceTime
 * &timestamps&previous&limitBytes&stream`: the container's CRI log as text/plain, what kubectl
 * logs prints. A follower gets new lines until the container stops or it hangs up.
 */
export async function serveContainerLogs(
  ctx: EndpointContext,
  route: { namespace: string; pod: string; container: string },
  query: URLSearchParams,
  res: ServerResponse,
): Promise<void> {
  const { options, previous } = parseLogQuery(query);
  const target = await requireContainer(ctx, route);
  let file = target.logPath;
  if (previous) {
    if (!target.previousLogPath) {
      throw badRequest(
        `previous terminated container "${route.container}" in pod "${route.pod}" not found`,
      );
    }
    file = target.previousLogPath;
  }
  res.writeHead(200, { "Content-Type": "text/plain", "Cache-Control": "no-cache" });
  res.flushHeaders();
  if (!file) {
    res.end();
    return;
  }
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  const write = async (chunk: Buffer) => {
    if (res.destroyed || res.write(chunk)) return;
    await once(res, "drain", { signal: abort.signal }).catch(() => undefined);
  };
  const isRunning = async () => {
    if (previous) return false;
    const now = await ctx.targets.container(route.namespace, route.pod, route.container);
    return now?.containerId === target.containerId && now.running;
  };
  try {
    await readContainerLog(file, options, write, { signal: abort.signal, isRunning });
    res.end();
  } catch (err) {
    ctx.logger.warn("reading a container log failed", { file, error: String(err) });
    res.destroy();
  }
}
