import type { AuthorizationLookups, Decision, RequestAttributes } from "./auth-api.js";
import { isReadOnly } from "./abac-match.js";
import { nodeLeaseNamespace, nodeUserPrefix, nodesGroup } from "./well-known.js";

// What an agent needs, and no more: read the objects its pods use, manage its own Node and
// Lease, report events, and write status only for pods bound to it. Like Kubernetes' Node
// authorizer plus NodeRestriction admission, flattened into one place.

/** Readable by every node: API group → resources. */
const readable = new Map<string, string[]>(
  Object.entries({
    "": [
      "pods",
      "nodes",
      "namespaces",
      "services",
      "endpoints",
      "configmaps",
      "secrets",
      "persistentvolumeclaims",
      "persistentvolumes",
      "events",
    ],
    "coordination.k8s.io": ["leases"],
    "events.k8s.io": ["events"],
  }),
);

const discoveryPaths = /^\/(version|api|apis|openapi|healthz|livez|readyz)(\/.*)?$/;
const modifyVerbs = ["update", "patch", "delete"];

/** The node name of a node identity (system:node:<name> in system:nodes), else undefined. */
export function nodeNameOf(user: RequestAttributes["user"]): string | undefined {
  if (!user.name.startsWith(nodeUserPrefix) || !user.groups.includes(nodesGroup)) return undefined;
  return user.name.slice(nodeUserPrefix.length);
}

/** The decision for a node identity; undefined when the user is not a node. */
export async function authorizeNode(
  a: RequestAttributes,
  lookups: AuthorizationLookups,
): Promise<Decision | undefined> {
  const node = nodeNameOf(a.user);
  if (node === undefined) return undefined;
  if (node === "") return deny(`unknown node for user ${q(a.user.name)}`);
  const allow: Decision = { allowed: true, reason: "" };

  if (!a.resourceRequest) {
    if ((a.verb === "get" || a.verb === "head") && discoveryPaths.test(a.path)) return allow;
    return deny(`node ${q(node)} cannot ${a.verb} path ${q(a.path)}`);
  }
  const plainOrStatus = a.subresource === "" || a.subresource === "status";
  if (isReadOnly(a.verb) && plainOrStatus && readable.get(a.apiGroup)?.includes(a.resource)) {
    return allow;
  }
  const core = a.apiGroup === "";
  const sub = a.subresource;

  if (core && a.resource === "nodes") {
    const ownName = a.name === node || (a.verb === "create" && a.name === "");
    if (a.verb === "create" && sub === "") {
      return ownName ? allow : deny(`node ${q(node)} is not allowed to modify node ${q(a.name)}`);
    }
    if (modifyVerbs.includes(a.verb) && plainOrStatus) {
      return ownName ? allow : deny(`node ${q(node)} is not allowed to modify node ${q(a.name)}`);
    }
  }

  if (a.apiGroup === "coordination.k8s.io" && a.resource === "leases" && sub === "") {
    if (
      a.namespace === nodeLeaseNamespace &&
      (a.verb === "create" || modifyVerbs.includes(a.verb))
    ) {
      const ownLease = a.name === node || (a.verb === "create" && a.name === "");
      if (ownLease) return allow;
      return deny(
        `node ${q(node)} can only access the lease named ${q(node)} in namespace ${q(nodeLeaseNamespace)}`,
      );
    }
  }

  if ((core || a.apiGroup === "events.k8s.io") && a.resource === "events" && sub === "") {
    if (["create", "update", "patch"].includes(a.verb)) return allow;
  }

  if (core && a.resource === "pods") {
    if (sub === "status" && (a.verb === "update" || a.verb === "patch")) {
      return (await boundElsewhere(a, node, lookups))
        ? deny(
            `node ${q(node)} can only update pod status for pods with spec.nodeName set to itself`,
          )
        : allow;
    }
    if (sub === "" && a.verb === "delete") {
      return (await boundElsewhere(a, node, lookups))
        ? deny(`node ${q(node)} can only delete pods with spec.nodeName set to itself`)
        : allow;
    }
  }

  const what = `${a.resource}${sub ? `/${sub}` : ""}${a.name ? ` ${q(a.name)}` : ""}`;
  return deny(`node ${q(node)} cannot ${a.verb} ${what}`);
}

// A pod that does not exist is let through, as Kubernetes' NodeRestriction does: the request
// then fails with 404 rather than 403, which is what the agent expects when it cleans up twice.
async function boundElsewhere(
  a: RequestAttributes,
  node: string,
  lookups: AuthorizationLookups,
): Promise<boolean> {
  const bound = await lookups.podNodeName(a.namespace, a.name);
  return bound !== undefined && bound !== node;
}

function deny(reason: string): Decision {
  return { allowed: false, reason };
}

/** Go's %q for the names that reach here (JSON quoting agrees with it on printable ASCII). */
function q(s: string): string {
  return JSON.stringify(s);
}
