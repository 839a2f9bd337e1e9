import type { Registry } from "prom-client";
import { OperationMetrics } from "../../../lib/operation-metrics.js";
import type { KubeletRuntime } from "../runtime/kubelet-runtime.js";
import { runtimeOperationBuckets } from "./buckets.js";

/**
 * Each runtime call's operation_type, as kubelet's instrumented runtime and image services name
 * them (pkg/kubelet/kuberuntime/instrumented_services.go). A Record over the port's keys, so a
 * call added to KubeletRuntime cannot go unnamed.
 */
export const runtimeOperationTypes: Record<keyof KubeletRuntime, string> = {
  runPodSandbox: "run_podsandbox",
  stopPodSandbox: "stop_podsandbox",
  removePodSandbox: "remove_podsandbox",
  podSandboxStatus: "podsandbox_status",
  listPodSandbox: "list_podsandbox",
  createContainer: "create_container",
  startContainer: "start_container",
  stopContainer: "stop_container",
  removeContainer: "remove_container",
  containerStatus: "container_status",
  listContainers: "list_containers",
  execSync: "exec_sync",
  pullImage: "pull_image",
  imageStatus: "image_status",
};

/** kubelet_runtime_operations_total, _duration_seconds and _errors_total, by operation_type. */
export class RuntimeOperationMetrics extends OperationMetrics {
  constructor(registry: Registry) {
    super(registry, {
      prefix: "kubelet_runtime_operations",
      what: "runtime operations",
      buckets: runtimeOperationBuckets,
    });
  }
}

/** The same runtime, every call measured under its kubelet operation_type. */
export function instrumentedRuntime(
  runtime: KubeletRuntime,
  metrics: RuntimeOperationMetrics,
): KubeletRuntime {
  const wrapped: Partial<Record<keyof KubeletRuntime, unknown>> = {};
  for (const key of Object.keys(runtimeOperationTypes) as (keyof KubeletRuntime)[]) {
    const call = runtime[key] as (this: KubeletRuntime, req: object) => Promise<unknown>;
    const operation = runtimeOperationTypes[key];
    wrapped[key] = (req: object) => metrics.measure(operation, () => call.call(runtime, req));
  }
  return wrapped as KubeletRuntime;
}
