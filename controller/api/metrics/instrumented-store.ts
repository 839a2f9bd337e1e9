import type { KubeObject } from "../../resources/kube-object.js";
import type { ListOptions, Store, StoreWatchHandlers } from "../../storage/store.js";
import type { ApiMetrics } from "./api-metrics.js";

/** The resource a key belongs to (/registry/pods/ns/x → pods), the `type` label of etcd metrics. */
function typeOf(key: string): string {
  const parts = key.split("/");
  return parts[2] === "services" ? "services" : (parts[2] ?? "");
}

/** Times every etcd request as etcd_request_duration_seconds{operation,type}. */
export function instrumentStore(store: Store, metrics: ApiMetrics): Store {
  const timed = async <T>(operation: string, key: string, call: () => Promise<T>): Promise<T> => {
    const end = metrics.etcdDuration.startTimer({ operation, type: typeOf(key) });
    try {
      return await call();
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
