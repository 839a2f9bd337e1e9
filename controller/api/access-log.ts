import type http from "node:http";
import type { Logger } from "../../lib/logger.js";
import type { UserInfo } from "../auth/auth-api.js";
import { reportedVerb } from "./metrics/request-labels.js";
import type { RequestInfo } from "./request-info.js";

/** What the handler learns about a request on its way (the user, once authenticated). */
export interface RequestParty {
  user?: UserInfo;
}

/** One request's line, as kube-apiserver's httplog has it (no headers, no bodies). */
export interface AccessEntry {
  verb: string;
  URI: string;
  path: string;
  user?: string;
  userAgent?: string;
  srcIP?: string;
  code: number;
  latencyMs: number;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  hijacked?: true;
  aborted?: true;
}

// Scrapes and probes come every few seconds from every watcher: logged only at debug.
const quietPaths = /^\/(healthz|livez|readyz|metrics)(\/|$)/;

// Query values that may carry what a user would not want in a log (an exec's command line).
const secretParams = /^(command|.*token.*|.*password.*|.*secret.*)$/i;

/**
 * Logs one line per request when its answer is over (a watch or stream when it ends): verb, URI,
 * user name, user agent, source, code, latency, and the object addressed. Health checks and
 * /metrics scrapes log at debug.
 */
export function logRequest(
  logger: Logger,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  info: RequestInfo,
  party: RequestParty,
  upgrade = false,
): void {
  const started = process.hrtime.bigint();
  // Now: the handler may rewrite the request info, and the socket's address goes with it.
  const verb = reportedVerb(req, info);
  const target = info.resourceRequest ? objectFields(info) : {};
  const srcIP = req.socket?.remoteAddress
    ? `${req.socket.remoteAddress}:${req.socket.remotePort}`
    : undefined;
  res.once("close", () => {
    const entry: AccessEntry = {
      verb,
      URI: redactedUri(url),
      path: url.pathname,
      ...(party.user ? { user: party.user.name } : {}),
      ...(req.headers["user-agent"] ? { userAgent: req.headers["user-agent"] } : {}),
      ...(srcIP ? { srcIP } : {}),
      code: res.statusCode,
      latencyMs: Math.round(Number(process.hrtime.bigint() - started) / 1e3) / 1e3,
      ...target,
      ...(upgrade && res.statusCode === 101 ? { hijacked: true as const } : {}),
      ...(!res.writableFinished && !(upgrade && res.statusCode === 101)
        ? { aborted: true as const }
        : {}),
    };
    logger.log(accessLevel(url.pathname), "HTTP", entry);
  });
}

export function accessLevel(path: string): "info" | "debug" {
  return quietPaths.test(path) ? "debug" : "info";
}

/** The request URI with values of secret-looking query parameters masked. */
export function redactedUri(url: URL): string {
  if (!url.search) return url.pathname;
  const query = [...url.searchParams]
    .map(([key, value]) => {
      const shown = secretParams.test(key) ? "[redacted]" : encodeURIComponent(value);
      return `${encodeURIComponent(key)}=${shown}`;
    })
    .join("&");
  return `${url.pathname}?${query}`;
}

function objectFields(info: RequestInfo): Partial<AccessEntry> {
  return {
    resource: info.group ? `${info.resource}.${info.group}` : info.resource,
    ...(info.subresource ? { subresource: info.subresource } : {}),
    ...(info.namespace ? { namespace: info.namespace } : {}),
    ...(info.name ? { name: info.name } : {}),
  };
}
