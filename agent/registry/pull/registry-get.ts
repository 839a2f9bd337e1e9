import { unavailable } from "../../../lib/errors.js";
import type { RegistryResponse } from "../registry-api.js";
import { pullScope, type RegistryTarget } from "./registry-target.js";

const redirects = [301, 302, 303, 307, 308];
const maxRedirects = 5;

/**
 * A GET under the registry's API, following redirects (registries send blob downloads to their
 * storage backend with a 307) whether or not the transport follows them itself.
 */
export async function registryGet(
  target: RegistryTarget,
  path: string,
  headers: Record<string, string>,
  expect: number[],
  what: string,
): Promise<RegistryResponse> {
  const req = {
    method: "GET" as const,
    headers,
    scope: pullScope(target),
    expect: [...expect, ...redirects],
  };
  let res = await target.transport.request(target.host, { ...req, path }, target.auth);
  for (let hops = 0; redirects.includes(res.status); hops++) {
    res.body.destroy();
    const location = header(res, "location");
    if (location === undefined) {
      throw unavailable(`${what}: ${res.url} answered ${res.status} without a Location`);
    }
    if (hops === maxRedirects) {
      throw unavailable(`${what}: more than ${maxRedirects} redirects, the last to ${location}`);
    }
    const url = target.transport.resolveLocation(res, location);
    res = await target.transport.requestUrl(target.host, url, req, target.auth);
  }
  if (!expect.includes(res.status)) {
    res.body.destroy();
    throw unavailable(`${what}: ${res.url} answered ${res.status}`);
  }
  return res;
}

/** A response header by name, whatever case the transport keeps names in. */
export function header(res: RegistryResponse, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(res.headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
