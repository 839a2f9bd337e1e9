import { unavailable } from "../../../lib/errors.js";
import { header } from "../pull/registry-get.js";
import type { RegistryResponse, RegistryTransport } from "../registry-api.js";

export { header };

/** Reads and drops a response body we have no use for, so the connection can be reused. */
export function discard(res: RegistryResponse): void {
  res.body.resume();
}

/** Where the registry says the upload goes on, as an absolute URL. */
export function nextLocation(
  transport: RegistryTransport,
  res: RegistryResponse,
  what: string,
): string {
  const location = header(res, "location");
  if (!location) throw unavailable(`${what}: ${res.url} answered ${res.status} without a Location`);
  return transport.resolveLocation(res, location);
}

/** A registry may say which digest it stored; if it does, it must be the one we sent. */
export function checkDigestHeader(res: RegistryResponse, expected: string, what: string): void {
  const said = header(res, "docker-content-digest");
  if (said !== undefined && said !== expected) {
    throw unavailable(`${what}: the registry stored ${said} instead of ${expected}`);
  }
}

/** `url` with the query parameter set, keeping the registry's own (upload state) parameters. */
export function withQuery(url: string, name: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
}
