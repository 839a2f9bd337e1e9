import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { QueueMetricsProvider, QueueObserver } from "../client/work-queue.js";

// client-go's ExponentialBuckets(10e-7, 10, 10): 1 µs to 1000 s.
const queueBuckets = Array.from({ length: 10 }, (_, i) => Number((1e-6 * 10 ** i).toPrecision(1)));

/** One queue's waiting and running keys with the time each began (client-go's queue metrics). */
class QueueTimes implements QueueObserver {
  readonly waiting = new Map<string, number>();
  readonly running = new Map<string, number>();

  constructor(
    readonly name: string,
    private readonly m: WorkQueueMetrics,
    private readonly now: () => number,
  ) {}

  added(key: string): void {
    this.m.adds.inc({ name: this.name });
    if (!this.waiting.has(key)) this.waiting.set(key, this.now());
  }

  started(key: string): void {
    const since = this.waiting.get(key);
    this.waiting.delete(key);
    this.running.set(key, this.now());
    if (since !== undefined) this.m.queueDuration.observe({ name: this.name }, this.seconds(since));
  }

  done(key: string): void {
    const since = this.running.get(key);
    this.running.delete(key);
    if (since !== undefined) this.m.workDuration.observe({ name: this.name }, this.seconds(since));
  }

  retried(): void {
    this.m.retries.inc({ name: this.name });
  }

  stopped(): void {
    this.waiting.clear();
    this.m.forget(this);
  }

  seconds(since: number): number {
    return Math.max(0, this.now() - since) / 1000;
  }
}

/**
 * client-go's workqueue metrics (workqueue_depth, _adds_total, _queue_duration_seconds,
 * _work_duration_seconds, _unfinished_work_seconds, _longest_running_processor_seconds,
 * _retries_total) labelled by queue name. Gauges are computed at scrape time from the live
 * queues; a queue stopped (leadership lost) reports 0 rather than disappearing.
 */
export class WorkQueueMetrics implements QueueMetricsProvider {
  readonly adds: Counter<"name">;
  readonly queueDuration: Histogram<"name">;
  readonly workDuration: Histogram<"name">;
  readonly retries: Counter<"name">;
  private readonly queues = new Set<QueueTimes>();
  private readonly names = new Set<string>();

  constructor(
    registry: Registry,
    private readonly now: () => number = Date.now,
  ) {
    const registers = [registry];
    const labelNames = ["name"] as const;
    this.gaugePerQueue(
      registry,
      "workqueue_depth",
      "[BETA] Current depth of workqueue",
      (q) => q.waiting.size,
      (a, b) => a + b,
    );
    this.gaugePerQueue(
      registry,
      "workqueue_unfinished_work_seconds",
      "[BETA] How many seconds of work has done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.",
      (q) => [...q.running.values()].reduce((sum, t) => sum + q.seconds(t), 0),
      (a, b) => a + b,
    );
    this.gaugePerQueue(
      registry,
      "workqueue_longest_running_processor_seconds",
      "[BETA] How many seconds has the longest running processor for workqueue been running.",
      (q) => Math.max(0, ...[...q.running.values()].map((t) => q.seconds(t))),
      Math.max,
    );
    this.adds = new Counter({
      name: "workqueue_adds_total",
      help: "[BETA] Total number of adds handled by workqueue",
      labelNames,
      registers,
    });
    this.queueDuration = new Histogram({
      name: "workqueue_queue_duration_seconds",
      help: "[BETA] How long in seconds an item stays in workqueue before being requested.",
      labelNames,
      buckets: queueBuckets,
      registers,
    });
    this.workDuration = new Histogram({
      name: "workqueue_work_duration_seconds",
      help: "[BETA] How long in seconds processing an item from workqueue takes.",
      labelNames,
      buckets: queueBuckets,
      registers,
    });
    this.retries = new Counter({
      name: "workqueue_retries_total",
      help: "[BETA] Total number of retries handled by workqueue",
      labelNames,
      registers,
    });
  }

  forQueue(name: string): QueueObserver {
    const queue = new QueueTimes(name, this, this.now);
    this.queues.add(queue);
    this.names.add(name);
    return queue;
  }

  forget(queue: QueueTimes): void {
    this.queues.delete(queue);
  }

  /** A gauge by queue name whose value is computed from the live queues at each scrape. */
  private gaugePerQueue(
    registry: Registry,
    name: string,
    help: string,
    value: (q: QueueTimes) => number,
    combine: (a: number, b: number) => number,
  ): void {
    const names = this.names;
    const queues = this.queues;
    new Gauge({
      name,
      help,
      labelNames: ["name"],
      registers: [registry],
      collect() {
        const values = new Map<string, number>([...names].map((n) => [n, 0]));
        for (const q of queues) values.set(q.name, combine(values.get(q.name) ?? 0, value(q)));
        for (const [queue, v] of values) this.set({ name: queue }, v);
      },
    });
  }
}
