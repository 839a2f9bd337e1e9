import type { Logger } from "../../lib/logger.js";
import type { PortForwardTools } from "../runtime/container/port-forward.js";
import type { RuntimeDeps } from "../runtime/runtime-deps.js";
import type { Duplex } from "node:stream";
import type { ChannelSocket } from "./channel-socket.js";
import { badRequest, notFoundStatus } from "./kube-status.js";
import type { StreamRoute } from "./stream-routes.js";
import type { ContainerTarget, SandboxTarget, StreamingTargets } from "./streaming-targets.js";

/** What every endpoint works with. */
export interface EndpointContext {
  targets: StreamingTargets;
  /** The runtime state the streams act on (bundles, runc); read only. */
  runtime: Pick<RuntimeDeps, "paths" | "runc">;
  portForwardTools?: PortForwardTools;
  logger: Logger;
}

/** What a session needs of the runtime, whichever server (kubelet API or CRI) started it. */
export type SessionContext = Pick<EndpointContext, "runtime" | "portForwardTools" | "logger">;

/**
 * An exec, attach or port forward, ready to run over whichever upgrade the client asked for:
 * a WebSocket (kubectl 1.30+) or SPDY/3.1 (older kubectl, crictl).
 */
export interface StreamSession {
  websocketProtocols: readonly string[];
  spdyProtocols: readonly string[];
  overWebSocket(channels: ChannelSocket): Promise<void>;
  /** Runs on the socket once the 101 naming `protocol` has been written. */
  overSpdy(socket: Duplex, head: Buffer, protocol: string): Promise<void>;
}

/**
 * An upgrade endpoint: `prepare` validates the request and resolves its target before the
 * upgrade (a failure answers with a plain HTTP Status), then returns the session to run.
 */
export interface UpgradeEndpoint {
  prepare(
    route: StreamRoute,
    query: URLSearchParams,
    transport: StreamTransport,
  ): Promise<StreamSession>;
}

export type StreamTransport = "websocket" | "spdy";

export async function requireSandbox(
  ctx: EndpointContext,
  namespace: string,
  pod: string,
): Promise<SandboxTarget> {
  const sandbox = await ctx.targets.sandbox(namespace, pod);
  if (!sandbox)
    throw notFoundStatus(`pods "${pod}" not found in namespace "${namespace}"`, "pods", pod);
  return sandbox;
}

export async function requireContainer(
  ctx: EndpointContext,
  route: { namespace: string; pod: string; container: string },
): Promise<ContainerTarget> {
  const target = await ctx.targets.container(route.namespace, route.pod, route.container);
  if (target) return target;
  await requireSandbox(ctx, route.namespace, route.pod);
  throw notFoundStatus(
    `container "${route.container}" not found in pod "${route.pod}"`,
    "containers",
    route.container,
  );
}

export async function requireRunningContainer(
  ctx: EndpointContext,
  route: { namespace: string; pod: string; container: string },
): Promise<ContainerTarget> {
  const target = await requireContainer(ctx, route);
  if (!target.running) {
    throw badRequest(`container "${route.container}" in pod "${route.pod}" is not running`);
  }
  return target;
}
