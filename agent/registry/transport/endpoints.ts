import { readFileSync } from "node:fs";
import { errnoCode, invalidArgument } from "../../../lib/errors.js";
import type { TlsSettings } from "./http-client.js";
import { dockerHubDomain, dockerHubEndpoint, isLoopbackHost } from "./host-names.js";
import { loadHostsConfig, type Capability, type HostEntry } from "./hosts-config.js";

export type Scheme = "https:" | "http:";

/** One server a registry's requests may go to: a mirror or the upstream. */
export interface Endpoint {
  /** host[:port] contacted: in messages, credentials lookup and `RegistryResponse.host`. */
  host: string;
  /**
   * Schemes in the order to try. Two only for insecure and loopback registries: HTTPS without
   * verification first, plain HTTP when that cannot connect (Docker's rule; containerd does the
   * same for localhost with its HTTP fallback).
   */
  schemes: Scheme[];
  /** What replaces the `/v2` at the start of a request path (`/v2` unless a URL path says so). */
  apiRoot: string;
  tls: TlsSettings;
  capabilities: Set<Capability>;
  mirror: boolean;
}

export interface EndpointOptions {
  /** containerd-style `<hostsDir>/<host>/hosts.toml`. */
  hostsDir?: string;
  /** Registries (host or host:port) to reach without TLS verification, or over plain HTTP. */
  insecureRegistries: string[];
  /** Extra CA files for a host (host or host:port of an endpoint). */
  caFiles: Record<string, string[]>;
}

/** Where requests for registry `host` go, mirrors first, the upstream last. */
export function endpointsFor(host: string, options: EndpointOptions): Endpoint[] {
  const config = options.hostsDir
    ? loadHostsConfig(options.hostsDir, host)
    : { mirrors: [], upstreamCaFiles: [] };
  const endpoints = config.mirrors.map((m) => fromEntry(m, true, options));
  if (config.server) {
    endpoints.push(fromEntry(config.server, false, options));
  } else {
    const upstream = host === dockerHubDomain ? dockerHubEndpoint : host;
    const insecure = options.insecureRegistries.includes(host) || isLoopbackHost(upstream);
    endpoints.push({
      host: upstream,
      schemes: insecure ? ["https:", "http:"] : ["https:"],
      apiRoot: "/v2",
      tls: {
        ca: readCas([...config.upstreamCaFiles, ...(options.caFiles[upstream] ?? [])]),
        skipVerify: config.upstreamSkipVerify ?? insecure,
      },
      capabilities: new Set(["pull", "resolve", "push"]),
      mirror: false,
    });
  }
  return endpoints;
}

function fromEntry(entry: HostEntry, mirror: boolean, options: EndpointOptions): Endpoint {
  const host = entry.url.host;
  const path = entry.url.pathname.replace(/\/+$/, "");
  // containerd: a host URL's path is the API root when it ends in /v2 or override_path is set,
  // otherwise /v2 goes under it.
  const apiRoot = entry.overridePath || path.endsWith("/v2") ? path : `${path}/v2`;
  return {
    host,
    schemes: [entry.url.protocol as Scheme],
    apiRoot,
    tls: {
      ca: readCas([...entry.caFiles, ...(options.caFiles[host] ?? [])]),
      skipVerify: entry.skipVerify ?? options.insecureRegistries.includes(host),
    },
    capabilities: entry.capabilities,
    mirror,
  };
}

/** The request path on an endpoint: `/v2/...` re-rooted at the endpoint's API root. */
export function endpointPath(endpoint: Endpoint, path: string): string {
  return path.startsWith("/v2/") || path === "/v2" ? endpoint.apiRoot + path.slice(3) : path;
}

function readCas(files: string[]): string[] {
  return files.map((file) => {
    try {
      return readFileSync(file, "utf8");
    } catch (err) {
      throw invalidArgument(`CA file ${file} cannot be read: ${errnoCode(err) ?? err}`, {
        field: "ca",
      });
    }
  });
}
