import type { Registry } from "prom-client";
import { PodStartTracker } from "./pod-start-tracker.js";
import { registerRunningGauges, type RuntimeRecords } from "./running-gauges.js";
import { RuntimeOperationMetrics } from "./runtime-operations.js";

/** The kubelet's own series on the agent's registry, and the hooks that feed them. */
export interface KubeletMetrics {
  /** Wraps the kubelet's runtime calls (kubelet_runtime_operations_*). */
  operations: RuntimeOperationMetrics;
  /** Fed by the pod workers, image puller and status manager (kubelet_pod_start_*). */
  podStarts: PodStartTracker;
}

/** Registers the kubelet's series once per registry: call it once per kubelet. */
export function createKubeletMetrics(registry: Registry, records: RuntimeRecords): KubeletMetrics {
  registerRunningGauges(registry, records);
  return {
    operations: new RuntimeOperationMetrics(registry),
    podStarts: new PodStartTracker(registry),
  };
}
