import type http from "node:http";
import type { Logger } from "../../lib/logger.js";
import type { UserInfo } from "../auth/auth-api.js";
import type { ResourceType } from "../resources/resource-type.js";
import type { ResourceRegistry } from "./resource-registry.js";
import type { ResourceStore } from "./objects/resource-store.js";
import type { RequestInfo } from "./request-info.js";
import type { ApiMetrics } from "./metrics/api-metrics.js";
import type { NodeStreamingConfig } from "./node-proxy/node-streaming-config.js";
import type { UpgradeConnection } from "./node-proxy/upgrade-listener.js";

/** What every handler may use; built once per server. */
export interface ApiDeps {
  resources: ResourceStore;
  registry: ResourceRegistry;
  logger: Logger;
  metrics: ApiMetrics;
  now(): Date;
  /** "host:port" the server is reached at, for legacy discovery's serverAddressByClientCIDRs. */
  serverAddress: string;
  /** How pods/log, exec, attach and portforward reach nodes' agents; absent: they answer 503. */
  streaming?: NodeStreamingConfig;
  /** DefaultTolerationSeconds admission (kube-apiserver's flags); 300 s each when absent. */
  defaultTolerationSeconds?: { notReady: number; unreachable: number };
}

/** One resource request on its way through the handlers. */
export interface RequestContext {
  deps: ApiDeps;
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  info: RequestInfo;
  user: UserInfo;
  rt: ResourceType;
  /** The connection of an upgrade request (exec, attach, port forwarding). */
  upgrade?: UpgradeConnection;
}
