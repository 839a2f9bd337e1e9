import { formatQuantity } from "../../resources/quantity.js";
import type { KubeObject } from "../../resources/kube-object.js";
import { goDuration } from "./go-duration.js";
import type { Usage } from "./metric-point.js";

export const metricsGroup = "metrics.k8s.io";
export const metricsVersion = "v1beta1";
export const metricsApiVersion = `${metricsGroup}/${metricsVersion}`;

/** CPU in canonical DecimalSI from nanocores, as metrics-server's Quantity prints it ("12345n", "200m"). */
export function cpuQuantity(nanoCores: number): string {
  return formatQuantity({
    unscaled: BigInt(Math.max(Math.trunc(nanoCores), 0)),
    exponent10: -9,
    format: "DecimalSI",
  });
}

/** Memory in canonical BinarySI from bytes ("17452Ki", "20Mi"). */
export function memoryQuantity(bytes: number): string {
  return formatQuantity({
    unscaled: BigInt(Math.max(Math.trunc(bytes), 0)),
    exponent10: 0,
    format: "BinarySI",
  });
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

export const usageList = (u: Pick<Usage, "cpuNanoCores" | "memoryBytes">) => ({
  cpu: cpuQuantity(u.cpuNanoCores),
  memory: memoryQuantity(u.memoryBytes),
});

function metadataOf(source: KubeObject, now: Date, namespaced: boolean) {
  const meta = source.metadata ?? {};
  return {
    name: meta.name ?? "",
    ...(namespaced ? { namespace: meta.namespace ?? "" } : {}),
    creationTimestamp: rfc3339(now.getTime()),
    ...(meta.labels && Object.keys(meta.labels).length > 0 ? { labels: { ...meta.labels } } : {}),
  };
}

/** metrics.k8s.io/v1beta1 NodeMetrics: the node's name and labels, its usage over the window. */
export function nodeMetricsObject(node: KubeObject, usage: Usage, now: Date): KubeObject {
  return {
    kind: "NodeMetrics",
    apiVersion: metricsApiVersion,
    metadata: metadataOf(node, now, false),
    timestamp: rfc3339(usage.timestampMs),
    window: goDuration(usage.windowMs),
    usage: usageList(usage),
  };
}

export interface ContainerUsage {
  name: string;
  usage: Usage;
}

/**
 * metrics.k8s.io/v1beta1 PodMetrics: each container's usage; the pod's timestamp and window are
 * its earliest container's, as metrics-server reports them.
 */
export function podMetricsObject(pod: KubeObject, containers: ContainerUsage[], now: Date) {
  const earliest = containers.reduce((a, b) => (b.usage.timestampMs < a.usage.timestampMs ? b : a));
  return {
    kind: "PodMetrics",
    apiVersion: metricsApiVersion,
    metadata: metadataOf(pod, now, true),
    timestamp: rfc3339(earliest.usage.timestampMs),
    window: goDuration(earliest.usage.windowMs),
    containers: containers.map((c) => ({ name: c.name, usage: usageList(c.usage) })),
  };
}
