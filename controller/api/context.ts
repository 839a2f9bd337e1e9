import type http from "node:http";
import type { Logger } from "../../lib/logger.js";
import type { UserInfo } from "../auth/auth-api.js";
import type { ResourceType } from "../resources/resource-type.js";
import type { ResourceRegistry } from "./resource-registry.js";
import type { ResourceStore } from "./objects/resource-store.js";
import type { RequestInfo } from "./request-info.js";
import type { ApiMetrics } from "./metrics/api-metrics.js";

/** What every handler may use; built once per server. */
export interface ApiDeps {
  resources: ResourceStore;
  registry: ResourceRegistry;
  logger: Logger;
  metrics: ApiMetrics;
  now(): Date;
  /** "host:port" the server is reached at, for legacy discovery's serverAddressByClientCIDRs. */
  serverAddress: string;
  /** The agent proxy for pods/log and pods/exec; absent until nodes serve streaming. */
  streaming?: unknown;
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
}
