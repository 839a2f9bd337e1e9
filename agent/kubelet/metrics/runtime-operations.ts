import { Counter, Histogram, type Registry } from "prom-client";
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
export class RuntimeOperationMetrics {
  private readonly operations: Counter<"operation_type">;
  private readonly duration: Histogram<"operation_type">;
  private readonly errors: Counter<"operation_type">;

  constructor(registry: Registry) {
    this.operations = new Counter({
      name: "kubelet_runtime_operations_total",
      help: "Cumulative number of runtime operations by operation type.",
      labelNames: ["operation_type"],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: "kubelet_runtime_operations_duration_seconds",
      help: "Duration in seconds of runtime operations. Broken down by operation type.",
      labelNames: ["operation_type"],
      buckets: runtimeOperationBuckets,
      registers: [registry],
    });
    this.errors = new Counter({
      name: "kubelet_runtime_operations_errors_total",
      help: "Cumulative number of runtime operation errors by operation type.",
      labelNames: ["operation_type"],
      registers: [registry],
    });
  }

  /** Runs one operation, counting it and its duration whatever the outcome, and its failure. */
  async measure<T>(operation: string, run: () => Promise<T>): Promise<T> {
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
