import { createHash } from "node:crypto";
import path from "node:path";
import type { Container, Pod } from "../../../../../agent/kube/types.js";
import type {
  ContainerLabels,
  LabeledEntry,
  SandboxLabels,
  SpecPort,
} from "../../../../../agent/kubelet/sync/sync-ports.js";

const L = {
  uid: "io.kubernetes.pod.uid",
  name: "io.kubernetes.pod.name",
  namespace: "io.kubernetes.pod.namespace",
  container: "io.kubernetes.container.name",
  hash: "io.kubernetes.container.hash",
  restartCount: "io.kubernetes.container.restartCount",
  grace: "io.kubernetes.pod.terminationGracePeriod",
};

/**
 * A small stand-in for agent/kubelet/spec in tests: the kubelet's labels and annotations, the
 * command and args, logs under `logRoot`, and a hash of the container's JSON.
 */
export function simpleSpec(logRoot = "/var/log/pods"): SpecPort {
  const podLabels = (pod: Pod) => ({
    [L.uid]: pod.metadata?.uid ?? "",
    [L.name]: pod.metadata?.name ?? "",
    [L.namespace]: pod.metadata?.namespace ?? "",
  });
  const hash = (c: Container) =>
    createHash("sha256").update(JSON.stringify(c)).digest("hex").slice(0, 8);
  return {
    async sandboxConfig(pod, attempt) {
      const m = pod.metadata ?? {};
      return {
        config: {
          metadata: { name: m.name, namespace: m.namespace, uid: m.uid, attempt },
          hostname: m.name,
          log_directory: path.join(logRoot, `${m.namespace}_${m.name}_${m.uid}`),
          labels: podLabels(pod),
          linux: {},
        },
        events: [],
      };
    },
    async containerConfig(pod, container, input) {
      if (container.env?.some((e) => e.valueFrom?.configMapKeyRef)) {
        throw new Error(
          `configmap "${container.env[0].valueFrom?.configMapKeyRef?.name}" not found`,
        );
      }
      return {
        config: {
          metadata: { name: container.name, attempt: input.restartCount },
          image: { image: input.imageRef },
          command: container.command ?? [],
          args: container.args ?? [],
          log_path: `${container.name}/${input.restartCount}.log`,
          labels: { ...podLabels(pod), [L.container]: container.name },
          annotations: {
            [L.hash]: hash(container),
            [L.restartCount]: String(input.restartCount),
            [L.grace]: String(pod.spec?.terminationGracePeriodSeconds ?? 30),
          },
          linux: {},
        },
        events: [],
      };
    },
    sandboxLabels(entry: LabeledEntry): SandboxLabels | undefined {
      const l = entry.labels ?? {};
      if (!l[L.uid]) return undefined;
      return {
        podUid: l[L.uid],
        podName: l[L.name] ?? "",
        podNamespace: l[L.namespace] ?? "",
        attempt: entry.metadata?.attempt ?? 0,
      };
    },
    containerLabels(entry: LabeledEntry): ContainerLabels | undefined {
      const l = entry.labels ?? {};
      const a = entry.annotations ?? {};
      if (!l[L.uid] || !l[L.container]) return undefined;
      return {
        podUid: l[L.uid],
        podName: l[L.name] ?? "",
        podNamespace: l[L.namespace] ?? "",
        containerName: l[L.container],
        hash: a[L.hash] ?? "",
        restartCount: Number(a[L.restartCount] ?? 0),
        terminationGracePeriodSeconds: a[L.grace] ? Number(a[L.grace]) : undefined,
      };
    },
    containerHash: hash,
    pullPolicy: (c) =>
      c.imagePullPolicy ?? (c.image?.endsWith(":latest") ? "Always" : "IfNotPresent"),
    qosClass: () => "BestEffort",
  };
}
