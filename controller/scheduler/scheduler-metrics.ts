import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** Prometheus' ExponentialBuckets(start, factor, count). */
function exponentialBuckets(start: number, factor: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Number((start * factor ** i).toPrecision(12)));
}

export type ScheduleResult = "scheduled" | "unschedulable" | "error";

/** Pods waiting in the scheduling queue, by kube-scheduler's queue names. */
export interface PendingPods {
  active: number;
  backoff: number;
  unschedulable: number;
  gated: number;
}

/**
 * kube-scheduler's metrics (names, labels, buckets, help with stability): attempts and their
 * latency by result and profile, pending pods by queue, and for each pod placed the latency from
 * first entering the queue (the SLI) and the number of attempts it took.
 */
export class SchedulerMetrics {
  private readonly attempts: Counter<"result" | "profile">;
  private readonly attemptDuration: Histogram<"result" | "profile">;
  private readonly sliDuration: Histogram<"attempts">;
  private readonly podAttempts: Histogram<string>;
  private pendingSource?: () => PendingPods;

  constructor(registry: Registry) {
    const registers = [registry];
    this.attempts = new Counter({
      name: "scheduler_schedule_attempts_total",
      help: "[STABLE] Number of attempts to schedule pods, by the result. 'unschedulable' means a pod could not be scheduled, while 'error' means an internal scheduler problem.",
      labelNames: ["result", "profile"],
      registers,
    });
    this.attemptDuration = new Histogram({
      name: "scheduler_scheduling_attempt_duration_seconds",
      help: "[STABLE] Scheduling attempt latency in seconds (scheduling algorithm + binding)",
      labelNames: ["result", "profile"],
      buckets: exponentialBuckets(0.001, 2, 15),
      registers,
    });
    const pending = () => this.pendingSource?.();
    new Gauge({
      name: "scheduler_pending_pods",
      help: "[STABLE] Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods that the scheduler attempted to schedule and failed; 'gated' is the number of unschedulable pods that the scheduler never attempted to schedule because they are gated.",
      labelNames: ["queue"],
      registers,
      collect() {
        const now = pending() ?? { active: 0, backoff: 0, unschedulable: 0, gated: 0 };
        for (const queue of ["active", "backoff", "unschedulable", "gated"] as const) {
          this.set({ queue }, now[queue]);
        }
      },
    });
    this.sliDuration = new Histogram({
      name: "scheduler_pod_scheduling_sli_duration_seconds",
      help: "[BETA] E2e latency for a pod being scheduled, from the time the pod enters the scheduling queue and might involve multiple scheduling attempts.",
      labelNames: ["attempts"],
      buckets: exponentialBuckets(0.01, 2, 20),
      registers,
    });
    this.podAttempts = new Histogram({
      name: "scheduler_pod_scheduling_attempts",
      help: "[STABLE] Number of attempts to successfully schedule a pod.",
      buckets: exponentialBuckets(1, 2, 5),
      registers,
    });
  }

  /** One attempt's outcome; `seconds` from taking the pod off the queue to the bind's answer. */
  attempt(result: ScheduleResult, profile: string, seconds: number): void {
    this.attempts.inc({ result, profile });
    this.attemptDuration.observe({ result, profile }, seconds);
  }

  /** A pod bound after `attempts` attempts, `seconds` after it first entered the queue. */
  podScheduled(attempts: number, seconds: number): void {
    this.sliDuration.observe({ attempts: attempts >= 15 ? "15+" : String(attempts) }, seconds);
    this.podAttempts.observe(attempts);
  }

  /** Where scheduler_pending_pods reads from at each scrape (none: zeros, e.g. not leading). */
  reportPending(source: (() => PendingPods) | undefined): void {
    this.pendingSource = source;
  }
}
