import type { RegistryAction, RegistryRequest } from "../registry-api.js";

const actionOrder: RegistryAction[] = ["pull", "push"];

/**
 * Token scopes for a request, `repository:<name>:<actions>`: one per repository (actions merged,
 * in a fixed order), sorted, so equal needs give equal cache keys.
 */
export function scopeStrings(scope: RegistryRequest["scope"]): string[] {
  const byRepo = new Map<string, Set<RegistryAction>>();
  for (const { repository, actions } of scope) {
    const set = byRepo.get(repository) ?? new Set<RegistryAction>();
    for (const action of actions) set.add(action);
    byRepo.set(repository, set);
  }
  return [...byRepo.entries()]
    .map(
      ([repo, actions]) =>
        `repository:${repo}:${actionOrder.filter((a) => actions.has(a)).join(",")}`,
    )
    .sort();
}

/** Adds scopes a challenge asked for (space-separated) to the request's own, without repeats. */
export function mergeScopes(own: string[], challenged: string | undefined): string[] {
  const extra = (challenged ?? "").split(" ").filter((s) => s !== "" && !own.includes(s));
  return [...own, ...extra].sort();
}

/** Reads only: the kind of request a mirror may serve. */
export function isPullOnly(req: Pick<RegistryRequest, "method" | "scope">): boolean {
  return (
    (req.method === "GET" || req.method === "HEAD") &&
    req.scope.every((s) => s.actions.every((a) => a === "pull"))
  );
}

/** A manifest request by tag (not digest): resolving a name, which mirrors must be allowed to do. */
export function isTagResolve(path: string): boolean {
  const m = /\/manifests\/([^/?]+)(\?|$)/.exec(path);
  return m !== null && !m[1].includes(":");
}
