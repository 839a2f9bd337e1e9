import { Counter, Histogram, type Registry } from "prom-client";

/** kubelet's network plugin operation_type values for CNI ADD and DEL. */
export type NetworkOperation = "set_up_pod" | "tear_down_pod";

/** Times one network plugin operation; CniPodNetwork calls it around each CNI ADD and DEL. */
export interface NetworkOperationTimer {
  time<T>(operation: NetworkOperation, run: () => Promise<T>): Promise<T>;
}

/**
 * kubelet's network plugin metrics (pkg/kubelet/dockershim/network/metrics, Kubernetes
 * 1.20–1.23, when the kubelet drove CNI itself): kubelet_network_plugin_operations_total,
 * _errors_total and _duration_seconds (DefBuckets), by operation_type.
 */
export class NetworkPluginMetrics implements NetworkOperationTimer {
  private readonly operations: Counter<"operation_type">;
  private readonly errors: Counter<"operation_type">;
  private readonly duration: Histogram<"operation_type">;

  constructor(registry: Registry) {
    this.operations = new Counter({
      name: "kubelet_network_plugin_operations_total",
      help: "Cumulative number of network plugin operations by operation type.",
      labelNames: ["operation_type"],
      registers: [registry],
    });
    this.errors = new Counter({
      name: "kubelet_network_plugin_operations_errors_total",
      help: "Cumulative number of network plugin operation errors by operation type.",
      labelNames: ["operation_type"],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: "kubelet_network_plugin_operations_duration_seconds",
      help: "Latency in seconds of network plugin operations. Broken down by operation type.",
      labelNames: ["operation_type"],
      // prometheus.DefBuckets
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  async time<T>(operation: NetworkOperation, run: () => Promise<T>): Promise<T> {
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
