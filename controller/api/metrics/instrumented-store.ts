import { isBerthError } from "../../../lib/errors.js";
import type { KubeObject } from "../../resources/kube-object.js";
import type { ResourceType } from "../../resources/resource-type.js";
import type { ListOptions, Store, StoreWatchHandlers } from "../../storage/store.js";
import { ObjectKeys } from "../object-keys.js";
import { groupResource, type ApiMetrics } from "./api-metrics.js";

/**
 * The `type` label of etcd metrics for a key: the resource it stores under, named as the
 * apiserver names it (pods, deployments.apps); the key's first segment for an unknown prefix.
 */
export function etcdTypeLabels(types: readonly ResourceType[], keys = new ObjectKeys()) {
  // Longest first: a storage prefix may contain another's (services/specs beside services…).
  const prefixes = types
    .map((rt) => ({ prefix: keys.collection(rt, ""), label: groupResource(rt) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  return (key: string): string =>
    prefixes.find((p) => key.startsWith(p.prefix))?.label ?? key.split("/")[2] ?? "";
}

// Outcomes etcd reports as a successful request: a failed compare, a missing or existing key.
const answeredKinds = ["NotFound", "AlreadyExists", "Aborted"] as const;

/**
 * Times and counts every etcd request as etcd_request_duration_seconds{operation,type},
 * etcd_requests_total and etcd_request_errors_total (failures to get an answer, not answers
 * such as a failed compare).
 */
export function instrumentStore(
  store: Store,
  metrics: ApiMetrics,
  types: readonly ResourceType[] = [],
): Store {
  const typeOf = etcdTypeLabels(types);
  const timed = async <T>(operation: string, key: string, call: () => Promise<T>): Promise<T> => {
    const labels = { operation, type: typeOf(key) };
    const end = metrics.etcdDuration.startTimer(labels);
    metrics.etcdRequests.inc(labels);
    try {
      return await call();
    } catch (err) {
      if (!answeredKinds.some((kind) => isBerthError(err, kind))) metrics.etcdErrors.inc(labels);
      throw err;
    } finally {
      end();
    }
  };
  return {
    get: (key: string) => timed("get", key, () => store.get(key)),
    list: (prefix: string, options?: ListOptions) =>
      timed("list", prefix, () => store.list(prefix, options)),
    create: (key: string, value: KubeObject) =>
      timed("create", key, () => store.create(key, value)),
    update: (key: string, value: KubeObject, rev: number) =>
      timed("update", key, () => store.update(key, value, rev)),
    delete: (key: string, rev?: number) => timed("delete", key, () => store.delete(key, rev)),
    watch: (prefix: string, from: number, handlers: StoreWatchHandlers) =>
      store.watch(prefix, from, handlers),
    revision: () => store.revision(),
    healthy: () => store.healthy(),
    close: () => store.close(),
  };
}
