import { Counter, Histogram, type Registry } from "prom-client";

export interface OperationMetricNames {
  /** Family names: `<prefix>_total`, `<prefix>_errors_total`, `<prefix>_duration_seconds`. */
  prefix: string;
  /** What is counted, for the HELP texts ("runtime operations"). */
  what: string;
  buckets: number[];
  /** The duration's HELP when it is not "Duration in seconds of …". */
  durationHelp?: string;
}

/**
 * The kubelet's pattern for timed operations: a count, an error count and a duration histogram,
 * each by operation_type.
 */
export class OperationMetrics<Operation extends string = string> {
  private readonly operations: Counter<"operation_type">;
  private readonly errors: Counter<"operation_type">;
  private readonly duration: Histogram<"operation_type">;

  constructor(registry: Registry, names: OperationMetricNames) {
    const common = { labelNames: ["operation_type"] as const, registers: [registry] };
    this.operations = new Counter({
      name: `${names.prefix}_total`,
      help: `Cumulative number of ${names.what} by operation type.`,
      ...common,
    });
    this.errors = new Counter({
      name: `${names.prefix}_errors_total`,
      help: `Cumulative number of ${names.what.replace(/s$/, "")} errors by operation type.`,
      ...common,
    });
    this.duration = new Histogram({
      name: `${names.prefix}_duration_seconds`,
      help:
        names.durationHelp ??
        `Duration in seconds of ${names.what}. Broken down by operation type.`,
      buckets: names.buckets,
      ...common,
    });
  }

  /** Runs one operation, counting it and its duration whatever the outcome, and its failure. */
  async measure<T>(operation: Operation, run: () => Promise<T>): Promise<T> {
    const labels = { operation_type: operation };
    const started = process.hrtime.bigint();
    try {
      return await run();
    } catch (err) {
      this.errors.inc(labels);
      throw err;
    } finally {
      this.operations.inc(labels);
      this.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }
}
