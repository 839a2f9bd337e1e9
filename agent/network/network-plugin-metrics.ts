import type { Registry } from "prom-client";
import { OperationMetrics } from "../../lib/operation-metrics.js";

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
  private readonly metrics: OperationMetrics<NetworkOperation>;

  constructor(registry: Registry) {
    this.metrics = new OperationMetrics(registry, {
      prefix: "kubelet_network_plugin_operations",
      what: "network plugin operations",
      durationHelp:
        "Latency in seconds of network plugin operations. Broken down by operation type.",
      // prometheus.DefBuckets
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }

  time<T>(operation: NetworkOperation, run: () => Promise<T>): Promise<T> {
    return this.metrics.measure(operation, run);
  }
}
