import type { Readable } from "node:stream";

/**
 * The contract between the registry transport (auth, TLS, mirrors) and its users (pull, push).
 * Pull and push only speak distribution API paths; where the bytes go, and as whom, is the
 * transport's business.
 */

/** Credentials as CRI AuthConfig carries them (any of the forms), or from a config.json. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  /** base64("user:password"), as in Docker's config.json. */
  auth?: string;
  /** A refresh token for the bearer flow. */
  identityToken?: string;
  /** A bearer token to send as is. */
  registryToken?: string;
}

export type RegistryAction = "pull" | "push";

export interface RegistryRequest {
  method: "GET" | "HEAD" | "PUT" | "POST" | "PATCH" | "DELETE";
  /** Path and query under the registry's base, e.g. `/v2/library/busybox/manifests/latest`. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | (() => Readable);
  /** What the request needs, for the bearer token's scope: `repository:<name>:<actions>`. */
  scope: { repository: string; actions: RegistryAction[] }[];
  /** Statuses the caller handles itself (others become errors naming the registry's message). */
  expect?: number[];
}

export interface RegistryResponse {
  status: number;
  headers: Record<string, string>;
  /** Streamed; the caller consumes or destroys it. */
  body: Readable;
  /** The host that answered (a mirror or the upstream), for logs and Location resolution. */
  host: string;
  /** Absolute URL of the request that answered. */
  url: string;
}

export interface RegistryTransport {
  /**
   * Sends a request to registry `host` (a reference's domain: "docker.io", "127.0.0.1:5000"),
   * trying its mirrors first for pulls, answering 401 challenges (basic, bearer), over HTTPS
   * (or HTTP where allowed). Errors are BerthErrors: Unauthenticated/PermissionDenied for auth,
   * NotFound for 404, Unavailable for network failures.
   */
  request(host: string, req: RegistryRequest, auth?: RegistryAuth): Promise<RegistryResponse>;
  /** Resolves a Location header (absolute or relative) against the response that sent it. */
  resolveLocation(res: RegistryResponse, location: string): string;
  /** Sends a request to an absolute URL from a Location header (uploads), with the same auth. */
  requestUrl(
    host: string,
    url: string,
    req: Omit<RegistryRequest, "path">,
    auth?: RegistryAuth,
  ): Promise<RegistryResponse>;
}

/** What a pull reports as it goes (for progress displays and logs). */
export type PullProgress =
  | {
      kind: "resolved";
      reference: string;
      manifest: string;
      layers: { digest: string; size: number }[];
    }
  | { kind: "layer"; digest: string; received: number; total: number }
  | { kind: "layer-done"; digest: string; cached: boolean }
  | { kind: "unpacked"; digest: string; index: number; count: number }
  | { kind: "done"; imageId: string };

/** What a push reports as it goes. */
export type PushProgress =
  | { kind: "blob"; digest: string; sent: number; total: number }
  | { kind: "blob-done"; digest: string; how: "uploaded" | "exists" | "mounted" }
  | { kind: "manifest"; digest: string; reference: string };
