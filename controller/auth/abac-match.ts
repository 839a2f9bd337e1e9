import type { RequestAttributes } from "./auth-api.js";
import type { AbacPolicy } from "./abac-policy.js";

// Kubernetes' ABAC semantics, kept exact so that existing policy files mean the same here:
// "*" matches anything, an empty field matches only an empty attribute (so namespace "" means
// cluster-scoped only), subresources are not matched separately, and every policy that matches
// the subject and the object allows the read-only verbs.

export function abacAllows(policies: AbacPolicy[], attributes: RequestAttributes): boolean {
  return policies.some((p) => matches(p, attributes));
}

export function matches(p: AbacPolicy, a: RequestAttributes): boolean {
  if (!subjectMatches(p, a)) return false;
  if (!verbMatches(p, a)) return false;
  return a.resourceRequest ? resourceMatches(p, a) : nonResourceMatches(p, a);
}

function subjectMatches(p: AbacPolicy, a: RequestAttributes): boolean {
  let matched = false;
  if (p.user !== "") {
    if (p.user !== "*" && p.user !== a.user.name) return false;
    matched = true;
  }
  if (p.group !== "") {
    if (p.group !== "*" && !a.user.groups.includes(p.group)) return false;
    matched = true;
  }
  return matched;
}

function verbMatches(p: AbacPolicy, a: RequestAttributes): boolean {
  return !p.readonly || isReadOnly(a.verb);
}

export function isReadOnly(verb: string): boolean {
  return verb === "get" || verb === "list" || verb === "watch";
}

function resourceMatches(p: AbacPolicy, a: RequestAttributes): boolean {
  return (
    (p.namespace === "*" || p.namespace === a.namespace) &&
    (p.resource === "*" || p.resource === a.resource) &&
    (p.apiGroup === "*" || p.apiGroup === a.apiGroup)
  );
}

function nonResourceMatches(p: AbacPolicy, a: RequestAttributes): boolean {
  if (p.nonResourcePath === "*" || p.nonResourcePath === a.path) return true;
  return (
    p.nonResourcePath.endsWith("*") && a.path.startsWith(p.nonResourcePath.replace(/\*+$/, ""))
  );
}
