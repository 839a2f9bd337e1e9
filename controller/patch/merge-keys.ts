// How the lists of the built-in kinds merge, for strategic merge patch and server-side apply.
// A list not named here is atomic: a patch or an apply replaces it whole (command, args,
// tolerations, readinessGates…). Patterns are field paths within the kind; "[]" stands for any
// item of a list. The group alone identifies a kind's shape: every version we serve shares it.

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The path segment that stands for "any item of this list". */
export const LIST_ITEM = "[]";

export type ListType =
  /**
   * Items are objects identified by their key fields. Strategic merge patch matches on
   * `mergeKey` alone (as Kubernetes' patchMergeKey does); server-side apply identifies items by
   * `keys` (Kubernetes' listMapKeys), filling a missing key field from `keyDefaults`.
   */
  | {
      type: "map";
      mergeKey: string;
      keys: readonly string[];
      keyDefaults: Readonly<Record<string, unknown>>;
    }
  /** Items are scalars merged as a set (metadata.finalizers). */
  | { type: "set" };

/** Which lists under one kind merge, and how. */
export interface ListRules {
  /** The rule for the list at `path` (field names, LIST_ITEM for list items), if it merges. */
  listAt(path: readonly string[]): ListType | undefined;
}

const byKey = (
  mergeKey: string,
  keys: readonly string[] = [mergeKey],
  keyDefaults: Record<string, unknown> = {},
): ListType => ({ type: "map", mergeKey, keys, keyDefaults });
const asSet: ListType = { type: "set" };

const objectMeta: Record<string, ListType> = {
  finalizers: asSet,
  ownerReferences: byKey("uid"),
};

const container: Record<string, ListType> = {
  ports: byKey("containerPort", ["containerPort", "protocol"], { protocol: "TCP" }),
  env: byKey("name"),
  volumeMounts: byKey("mountPath"),
  volumeDevices: byKey("devicePath"),
};

const podSpec: Record<string, ListType> = {
  ...within("containers", byKey("name"), container),
  ...within("initContainers", byKey("name"), container),
  ...within("ephemeralContainers", byKey("name"), container),
  volumes: byKey("name"),
  imagePullSecrets: byKey("name"),
  hostAliases: byKey("ip"),
  topologySpreadConstraints: byKey("topologyKey", ["topologyKey", "whenUnsatisfiable"]),
  schedulingGates: byKey("name"),
  resourceClaims: byKey("name"),
};

// Container statuses have no merge key in Kubernetes: a patch replaces the list whole, so a
// container's old state never merges into its new one.
const podStatus: Record<string, ListType> = {
  conditions: byKey("type"),
  podIPs: byKey("ip"),
  hostIPs: byKey("ip"),
};

const conditionsByType: Record<string, ListType> = { "status.conditions": byKey("type") };

const podTemplate = (at: string): Record<string, ListType> => ({
  ...under(`${at}.metadata`, objectMeta),
  ...under(`${at}.spec`, podSpec),
});

/** Per kind ("group/Kind"): rules beyond those of the object's own metadata. */
const kinds: Record<string, Record<string, ListType>> = {
  "/Pod": { ...under("spec", podSpec), ...under("status", podStatus) },
  "/PodTemplate": podTemplate("template"),
  "/ReplicationController": { ...podTemplate("spec.template"), ...conditionsByType },
  "/Node": {
    "spec.taints": byKey("key", ["key", "effect"]),
    "spec.podCIDRs": asSet,
    "status.addresses": byKey("type"),
    "status.conditions": byKey("type"),
  },
  "/Service": {
    "spec.ports": byKey("port", ["port", "protocol"], { protocol: "TCP" }),
    ...conditionsByType,
  },
  "/Namespace": conditionsByType,
  "/ConfigMap": {},
  "/Secret": {},
  "/ServiceAccount": { secrets: byKey("name") },
  "/Event": {},
  "/Endpoints": {},
  "/LimitRange": {},
  "/ResourceQuota": {},
  "/PersistentVolume": {},
  "/PersistentVolumeClaim": conditionsByType,
  "apps/Deployment": { ...podTemplate("spec.template"), ...conditionsByType },
  "apps/ReplicaSet": { ...podTemplate("spec.template"), ...conditionsByType },
  "apps/DaemonSet": { ...podTemplate("spec.template"), ...conditionsByType },
  "apps/StatefulSet": { ...podTemplate("spec.template"), ...conditionsByType },
  "apps/ControllerRevision": {},
  "batch/Job": { ...podTemplate("spec.template"), ...conditionsByType },
  "batch/CronJob": {
    ...under("spec.jobTemplate.metadata", objectMeta),
    ...podTemplate("spec.jobTemplate.spec.template"),
  },
  "autoscaling/Scale": {},
  "coordination.k8s.io/Lease": {},
  "events.k8s.io/Event": {},
  "discovery.k8s.io/EndpointSlice": {},
  "policy/PodDisruptionBudget": conditionsByType,
  "policy/Eviction": {},
  "rbac.authorization.k8s.io/Role": {},
  "rbac.authorization.k8s.io/ClusterRole": {},
  "rbac.authorization.k8s.io/RoleBinding": {},
  "rbac.authorization.k8s.io/ClusterRoleBinding": {},
  "scheduling.k8s.io/PriorityClass": {},
};

const SEPARATOR = "\u0000";

/** "spec.containers[].env" → the key a runtime path ["spec","containers","[]","env"] looks up. */
function patternKey(pattern: string): string {
  const segments: string[] = [];
  for (const part of pattern.split(".")) {
    if (part.endsWith(LIST_ITEM)) segments.push(part.slice(0, -LIST_ITEM.length), LIST_ITEM);
    else segments.push(part);
  }
  return segments.join(SEPARATOR);
}

function under(prefix: string, rules: Record<string, ListType>): Record<string, ListType> {
  return Object.fromEntries(
    Object.entries(rules).map(([path, rule]) => [`${prefix}.${path}`, rule]),
  );
}

/** A keyed list plus the rules for lists inside its items. */
function within(
  list: string,
  rule: ListType,
  itemRules: Record<string, ListType>,
): Record<string, ListType> {
  return { [list]: rule, ...under(`${list}${LIST_ITEM}`, itemRules) };
}

function compile(rules: Record<string, ListType>): ListRules {
  const table = new Map<string, ListType>();
  for (const [pattern, rule] of Object.entries({ ...under("metadata", objectMeta), ...rules })) {
    table.set(patternKey(pattern), rule);
  }
  return { listAt: (path) => table.get(path.join(SEPARATOR)) };
}

const compiled = new Map(Object.entries(kinds).map(([kind, rules]) => [kind, compile(rules)]));

/** Rules for the object metadata every kind has; what server-side apply uses for other kinds. */
export const objectMetaListRules: ListRules = compile({});

/** The list rules of a built-in kind, or undefined for a kind we have no table for. */
export function listRulesFor(kind: GroupVersionKind): ListRules | undefined {
  return compiled.get(`${kind.group}/${kind.kind}`);
}

/** "apps/v1" → {group: "apps", version: "v1"}; "v1" → the core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * The rules server-side apply uses for an object: its kind's table, else the metadata rules
 * every object shares (other lists are atomic, as for a CRD without list annotations).
 */
export function listRulesForObject(apiVersion: unknown, kind: unknown): ListRules {
  if (typeof apiVersion !== "string" || typeof kind !== "string") return objectMetaListRules;
  return listRulesFor({ ...parseApiVersion(apiVersion), kind }) ?? objectMetaListRules;
}
