import type { RequestAttributes } from "./auth-api.js";

// Kubernetes' 403 wording (apiserver responsewriters.Forbidden + errors.NewForbidden), which
// kubectl prints as is: `Error from server (Forbidden): pods "x" is forbidden: User …`.

/** The Status message of a 403 for these attributes, with `: <reason>` when there is one. */
export function forbiddenMessage(a: RequestAttributes, reason: string): string {
  const denial = sanitize(userCannot(a)) + (reason ? `: ${reason}` : "");
  if (!a.resourceRequest) return `forbidden: ${denial}`;
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  return a.name
    ? `${qualified} ${q(a.name)} is forbidden: ${denial}`
    : `${qualified} is forbidden: ${denial}`;
}

/** The Status details of that 403 (empty fields left out, as Kubernetes' omitempty does). */
export function forbiddenDetails(a: RequestAttributes): {
  name?: string;
  group?: string;
  kind?: string;
} {
  if (!a.resourceRequest) return {};
  return {
    ...(a.name ? { name: a.name } : {}),
    ...(a.apiGroup ? { group: a.apiGroup } : {}),
    kind: a.resource,
  };
}

function userCannot(a: RequestAttributes): string {
  const user = q(a.user.name);
  if (!a.resourceRequest) return `User ${user} cannot ${a.verb} path ${q(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const what = `User ${user} cannot ${a.verb} resource ${q(resource)} in API group ${q(a.apiGroup)}`;
  return a.namespace
    ? `${what} in the namespace ${q(a.namespace)}`
    : `${what} at the cluster scope`;
}

// Kubernetes escapes these so that a name cannot smuggle markup into a browser-rendered error.
function sanitize(s: string): string {
  return s.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);
}

function q(s: string): string {
  return JSON.stringify(s);
}
