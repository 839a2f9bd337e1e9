import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { ResourceType } from "../../resources/resource-type.js";

// kube-apiserver's buckets for request and etcd latencies (shared so the two compare).
const latencyBuckets = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45,
  60,
];

/** `pods`, `deployments.apps`: how the apiserver names a resource in its storage metrics. */
export function groupResource(rt: Pick<ResourceType, "plural" | "group">): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

/**
 * The apiserver's metric names, labels, buckets and help (with its stability prefix), as
 * kube-apiserver 1.27–1.33 exposes them, so existing dashboards and alerts work.
 */
export class ApiMetrics {
  readonly requests: Counter<string>;
  readonly duration: Histogram<string>;
  readonly watchers: Gauge<string>;
  readonly longRunning: Gauge<string>;
  readonly etcdDuration: Histogram<string>;
  readonly etcdRequests: Counter<string>;
  readonly etcdErrors: Counter<string>;
  readonly etcdObjects: Gauge<string>;
  private countObjects?: () => Iterable<[resource: string, count: number]>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: "apiserver_request_total",
      help: "[STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.",
      labelNames: [
        "verb",
        "dry_run",
        "group",
        "version",
        "resource",
        "subresource",
        "scope",
        "component",
        "code",
      ],
      registers,
    });
    this.duration = new Histogram({
      name: "apiserver_request_duration_seconds",
      help: "[STABLE] Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.",
      labelNames: [
        "verb",
        "dry_run",
        "group",
        "version",
        "resource",
        "subresource",
        "scope",
        "component",
      ],
      buckets: latencyBuckets,
      registers,
    });
    this.watchers = new Gauge({
      name: "apiserver_registered_watchers",
      help: "[ALPHA] (Deprecated since 1.23.0) Number of currently registered watchers for a given resources",
      labelNames: ["group", "version", "kind"],
      registers,
    });
    this.longRunning = new Gauge({
      name: "apiserver_longrunning_requests",
      help: "[STABLE] Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.",
      labelNames: ["verb", "group", "version", "resource", "subresource", "scope", "component"],
      registers,
    });
    this.etcdDuration = new Histogram({
      name: "etcd_request_duration_seconds",
      help: "[ALPHA] Etcd request latency in seconds for each operation and object type.",
      labelNames: ["operation", "type"],
      buckets: latencyBuckets,
      registers,
    });
    this.etcdRequests = new Counter({
      name: "etcd_requests_total",
      help: "[ALPHA] Etcd request counts for each operation and object type.",
      labelNames: ["operation", "type"],
      registers,
    });
    this.etcdErrors = new Counter({
      name: "etcd_request_errors_total",
      help: "[ALPHA] Etcd failed request counts for each operation and object type.",
      labelNames: ["operation", "type"],
      registers,
    });
    const countObjects = () => this.countObjects?.() ?? [];
    this.etcdObjects = new Gauge({
      name: "apiserver_storage_objects",
      help: "[STABLE] Number of stored objects at the time of last check split by kind.",
      labelNames: ["resource"],
      registers,
      collect() {
        this.reset();
        for (const [resource, count] of countObjects()) this.set({ resource }, count);
      },
    });
  }

  /**
   * apiserver_storage_objects from `count` at each scrape (the watch caches: what the store held
   * at their last event); types whose count is unknown (cache not ready) are left out.
   */
  countStoredObjects(
    types: readonly ResourceType[],
    count: (rt: ResourceType) => number | undefined,
  ) {
    this.countObjects = function* () {
      for (const rt of types) {
        const n = count(rt);
        if (n !== undefined) yield [groupResource(rt), n];
      }
    };
  }
}
