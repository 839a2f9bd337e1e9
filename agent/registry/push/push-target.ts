import type { RegistryRequest } from "../registry-api.js";
import type { RegistryTarget } from "../pull/registry-target.js";

export { registryTarget, type RegistryTarget } from "../pull/registry-target.js";

/** Push needs pull too: a HEAD on a blob, and the registry checks both for uploads. */
export function pushScope(target: RegistryTarget): RegistryRequest["scope"] {
  return [{ repository: target.name, actions: ["pull", "push"] }];
}

/** Push scope on the target plus pull on the repository a blob is mounted from. */
export function mountScope(target: RegistryTarget, from: string): RegistryRequest["scope"] {
  return [...pushScope(target), { repository: from, actions: ["pull"] }];
}
