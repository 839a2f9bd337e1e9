import type { Logger } from "../../lib/logger.js";

/**
 * What a queue tells its metrics (client-go's queueMetrics): a key starting to wait, taken by a
 * worker, done; a delayed re-add; the queue thrown away with keys still waiting.
 */
export interface QueueObserver {
  added(key: string): void;
  started(key: string): void;
  done(key: string): void;
  retried(): void;
  stopped(): void;
}

/** Makes the observer of the queue called `name` (client-go's MetricsProvider). */
export interface QueueMetricsProvider {
  forQueue(name: string): QueueObserver;
}

const unobserved: QueueObserver = {
  added() {},
  started() {},
  done() {},
  retried() {},
  stopped() {},
};

/**
 * client-go's rate-limited work queue, small: a key queued while queued is queued once; a key
 * being processed and queued again runs again after; failures retry with per-key exponential
 * backoff (5 ms doubling to 30 s), success forgets the backoff.
 */
export class WorkQueue {
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly dirtyWhileRunning = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private active = 0;
  private stopped = false;
  private held: boolean;
  private readonly observer: QueueObserver;

  /**
   * With `ready` (e.g. InformerSet.synced), keys queue up but nothing runs before it resolves:
   * a controller deciding from half-loaded caches would act on a world it cannot see yet (a
   * new leader creating pods its pod informer has not listed), as client-go's WaitForCacheSync.
   */
  constructor(
    private readonly name: string,
    private readonly process: (key: string) => Promise<void>,
    private readonly logger: Logger,
    private readonly workers = 4,
    ready?: Promise<unknown>,
    metrics?: QueueMetricsProvider,
  ) {
    this.observer = metrics?.forQueue(name) ?? unobserved;
    this.held = ready !== undefined;
    void ready?.then(() => {
      this.held = false;
      this.pump();
    });
  }

  add(key: string): void {
    if (this.stopped) return;
    if (this.running.has(key)) {
      if (!this.dirtyWhileRunning.has(key)) this.observer.added(key);
      this.dirtyWhileRunning.add(key);
      return;
    }
    if (!this.queued.has(key)) this.observer.added(key);
    this.queued.add(key);
    this.pump();
  }

  /** Queues `key` after `ms` (a requeue the worker asks for, e.g. to re-check readiness later). */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    this.observer.retried();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queued.clear();
    this.observer.stopped();
  }

  /** Resolves when nothing is queued or running (for tests). */
  async idle(): Promise<void> {
    while (this.queued.size > 0 || this.active > 0) await new Promise((r) => setTimeout(r, 5));
  }

  private pump(): void {
    while (!this.stopped && !this.held && this.active < this.workers && this.queued.size > 0) {
      const key = this.queued.values().next().value as string;
      this.queued.delete(key);
      this.running.add(key);
      this.observer.started(key);
      this.active++;
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    try {
      await this.process(key);
      this.failures.delete(key);
    } catch (err) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      const delay = Math.min(5 * 2 ** (n - 1), 30_000);
      this.logger.debug("work item failed; retrying", {
        queue: this.name,
        key,
        attempt: n,
        error: (err as Error).message,
      });
      this.addAfter(key, delay);
    } finally {
      this.observer.done(key);
      this.running.delete(key);
      this.active--;
      if (this.dirtyWhileRunning.delete(key)) this.queued.add(key);
      this.pump();
    }
  }
}
