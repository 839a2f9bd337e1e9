import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** The apiserver's metric names and labels, so existing dashboards and alerts work. */
export class ApiMetrics {
  readonly requests: Counter<string>;
  readonly duration: Histogram<string>;
  readonly watchers: Gauge<string>;
  readonly longRunning: Gauge<string>;
  readonly etcdDuration: Histogram<string>;
  readonly etcdObjects: Gauge<string>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: "apiserver_request_total",
      help: "Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.",
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
      help: "Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.",
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
      buckets: [
        0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30,
        45, 60,
      ],
      registers,
    });
    this.watchers = new Gauge({
      name: "apiserver_registered_watchers",
      help: "Number of currently registered watchers for a given resources",
      labelNames: ["group", "version", "kind"],
      registers,
    });
    this.longRunning = new Gauge({
      name: "apiserver_longrunning_requests",
      help: "Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component.",
      labelNames: ["verb", "group", "version", "resource", "subresource", "scope", "component"],
      registers,
    });
    this.etcdDuration = new Histogram({
      name: "etcd_request_duration_seconds",
      help: "Etcd request latency in seconds for each operation and object type.",
      labelNames: ["operation", "type"],
      buckets: [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15,
        20, 30, 45, 60,
      ],
      registers,
    });
    this.etcdObjects = new Gauge({
      name: "apiserver_storage_objects",
      help: "Number of stored objects at the time of last check split by kind.",
      labelNames: ["resource"],
      registers,
    });
  }
}
