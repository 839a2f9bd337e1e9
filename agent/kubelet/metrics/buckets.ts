import { exponentialBuckets } from "prom-client";

/** kubelet's podStartupDurationBuckets (pkg/kubelet/metrics/metrics.go), in seconds. */
export const podStartupBuckets = [
  0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800,
  2700, 3600,
];

/** kubelet_runtime_operations_duration_seconds: metrics.ExponentialBuckets(.005, 2.5, 14). */
export const runtimeOperationBuckets = exponentialBuckets(0.005, 2.5, 14);
