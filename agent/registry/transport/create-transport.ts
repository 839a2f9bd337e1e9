import { invalidArgument, isBerthError } from "../../../lib/errors.js";
import type { Logger } from "../../../lib/logger.js";
import { silentLogger } from "../../../lib/logger.js";
import type {
  RegistryAuth,
  RegistryRequest,
  RegistryResponse,
  RegistryTransport,
} from "../registry-api.js";
import { Authorizer } from "./authorizer.js";
import { credentialsFromFiles, hasCredentials } from "./credentials.js";
import { EndpointExchange, type ExchangeRequest } from "./endpoint-exchange.js";
import { endpointPath, endpointsFor, type Endpoint } from "./endpoints.js";
import { HttpClient } from "./http-client.js";
import { isPullOnly, isTagResolve } from "./scope.js";
import { TokenCache } from "./token-cache.js";

export interface RegistryTransportOptions {
  logger?: Logger;
  /**
   * Docker config.json-style credential files (`{"auths": {...}}`), first match wins; used when
   * a request comes without credentials. Agent: `<config dir>/auth.json`; CLI: also
   * `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`.
   */
  authFiles?: string[];
  /** containerd-style mirror and TLS settings: `<hostsDir>/<registry host>/hosts.toml`. */
  hostsDir?: string;
  /** Registries (host or host:port) reached without TLS verification, else over plain HTTP. */
  insecureRegistries?: string[];
  /** Extra CA files (PEM) by host[:port], trusted on top of the system's. */
  caFiles?: Record<string, string[]>;
  /** Until a response's headers arrive (default 30 s). */
  requestTimeoutMs?: number;
  /** Longest silence while a body streams (default 60 s). */
  idleTimeoutMs?: number;
  userAgent?: string;
  /** For tests of token expiry. */
  now?: () => number;
}

/** A transport that closes its kept-alive connections on close(). */
export type ClosableRegistryTransport = RegistryTransport & { close(): void };

/** Statuses from a mirror that mean "ask the next one", even when the caller handles them. */
const mirrorMisses = new Set([401, 403, 404, 429]);

/**
 * The registry transport: mirrors from hosts.toml for reads, the upstream otherwise (Docker Hub
 * at registry-1.docker.io), HTTPS with system plus configured CAs, plain HTTP only for insecure
 * and loopback registries, basic and bearer auth with cached tokens.
 *
 * Credentials: those the caller passes win for the registry itself; otherwise the auth files.
 * Mirrors only ever get the auth files' entries for their own host: a caller's credentials are
 * for the registry it named and are not handed to a third party.
 */
export function createRegistryTransport(
  options: RegistryTransportOptions = {},
): ClosableRegistryTransport {
  const logger = options.logger ?? silentLogger();
  const http = new HttpClient({
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    userAgent: options.userAgent ?? "berth",
  });
  const exchange = new EndpointExchange(
    http,
    new Authorizer(http, new TokenCache(options.now)),
    logger,
  );
  const endpointOptions = {
    hostsDir: options.hostsDir,
    insecureRegistries: options.insecureRegistries ?? [],
    caFiles: options.caFiles ?? {},
  };
  const authFiles = options.authFiles ?? [];

  const credentialsFor = (registry: string, endpoint: Endpoint, auth?: RegistryAuth) => {
    if (endpoint.mirror) return credentialsFromFiles(authFiles, endpoint.host);
    if (hasCredentials(auth)) return auth;
    return (
      credentialsFromFiles(authFiles, registry) ??
      (endpoint.host !== registry ? credentialsFromFiles(authFiles, endpoint.host) : undefined)
    );
  };

  const request = async (
    registry: string,
    req: RegistryRequest,
    auth?: RegistryAuth,
  ): Promise<RegistryResponse> => {
    if (!req.path.startsWith("/")) {
      throw invalidArgument(`registry request path must start with "/": ${req.path}`, {
        field: "path",
      });
    }
    const endpoints = endpointsFor(registry, endpointOptions);
    const readOnly = isPullOnly(req);
    const needs = isTagResolve(req.path) ? "resolve" : "pull";
    // Push, and anything else that writes, never goes to a mirror.
    const candidates = endpoints.filter(
      (e) => !e.mirror || (readOnly && e.capabilities.has(needs)),
    );
    for (const endpoint of candidates) {
      const credentials = credentialsFor(registry, endpoint, auth);
      let path = endpointPath(endpoint, req.path);
      // containerd's convention: a mirror learns which upstream the request is for.
      if (endpoint.mirror)
        path += `${path.includes("?") ? "&" : "?"}ns=${encodeURIComponent(registry)}`;
      if (!endpoint.mirror) return exchange.toEndpoint(endpoint, path, req, credentials);
      try {
        const res = await exchange.toEndpoint(endpoint, path, req, credentials);
        if (!mirrorMisses.has(res.status) && res.status < 500) return res;
        res.body.resume();
        logger.info("registry mirror could not serve, trying the next", {
          registry,
          mirror: endpoint.host,
          status: res.status,
        });
      } catch (err) {
        logger.info("registry mirror failed, trying the next", {
          registry,
          mirror: endpoint.host,
          error: isBerthError(err) ? err.message : String(err),
        });
      }
    }
    throw new Error(`registry ${registry}: no endpoint (the upstream is always one)`);
  };

  const requestUrl = async (
    registry: string,
    url: string,
    req: ExchangeRequest,
    auth?: RegistryAuth,
  ): Promise<RegistryResponse> => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw invalidArgument(`registry ${registry}: not an absolute URL: ${url}`, { field: "url" });
    }
    if (target.protocol !== "http:" && target.protocol !== "https:") {
      throw invalidArgument(`registry ${registry}: not an http(s) URL: ${url}`, { field: "url" });
    }
    const endpoints = endpointsFor(registry, endpointOptions);
    const upstream = endpoints[endpoints.length - 1];
    // A Location on another host (an upload service) is reached with the registry's
    // credentials after a challenge, with verified TLS.
    const endpoint = endpoints.find((e) => e.host === target.host) ?? {
      ...upstream,
      host: target.host,
      tls: { ca: upstream.tls.ca, skipVerify: false },
    };
    return exchange.exchange(endpoint, target, req, credentialsFor(registry, endpoint, auth));
  };

  return {
    request,
    requestUrl,
    resolveLocation: (res, location) => new URL(location, res.url).toString(),
    close: () => http.close(),
  };
}
