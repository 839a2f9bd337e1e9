import type { ContainerRecord, Nanos, SandboxRecord } from "../../runtime/records.js";
import { criLabels } from "../spec/pod-labels.js";
import type { ContainerLabels } from "./cgroup-sample.js";

/** One cgroup to read in a scrape and how its series are labelled. */
export interface ScrapeTarget {
  cgroup: string;
  labels: ContainerLabels;
  startTimeSeconds?: number;
  /** A process in the pod's own network namespace (pod cgroups only). */
  netnsPid?: number;
  /** The container whose writable layer is measured (container cgroups only). */
  containerId?: string;
}

export interface TargetInput {
  sandboxes: SandboxRecord[];
  containers: ContainerRecord[];
  /** The image's name as the runtime reports it (its first tag), by image id. */
  imageNames: Map<string, string>;
  bootTimeSeconds: number;
}

const blank: ContainerLabels = {
  container: "",
  id: "",
  image: "",
  name: "",
  namespace: "",
  pod: "",
};

const nanosToSeconds = (ns: Nanos) => Number(BigInt(ns) / 1_000_000n) / 1000;

/**
 * What the kubelet's cAdvisor shows for a node's pods: the root cgroup (id only), each ready
 * pod's cgroup (container="", the pod's name and namespace — its network is reported here, as on
 * a pod's sandbox), and each running container's (name = runtime id, id = cgroup path). A cgroup
 * shared by two records is reported once.
 */
export function scrapeTargets(input: TargetInput): ScrapeTarget[] {
  const targets: ScrapeTarget[] = [
    { cgroup: "/", labels: { ...blank, id: "/" }, startTimeSeconds: input.bootTimeSeconds },
  ];
  const running = input.containers.filter((c) => c.state === "running");
  const sandboxes = new Map(input.sandboxes.map((s) => [s.id, s]));
  for (const s of input.sandboxes) {
    if (s.state !== "ready") continue;
    const meta = s.config.metadata;
    const pid = s.namespaces.net
      ? running.find((c) => c.sandboxId === s.id && c.pid !== undefined)?.pid
      : undefined;
    targets.push({
      cgroup: s.cgroup,
      labels: { ...blank, id: s.cgroup, namespace: meta?.namespace ?? "", pod: meta?.name ?? "" },
      startTimeSeconds: nanosToSeconds(s.createdAt),
      netnsPid: pid,
    });
  }
  for (const c of running) {
    const meta = sandboxes.get(c.sandboxId)?.config.metadata;
    targets.push({
      cgroup: c.cgroup,
      labels: {
        container: c.labels[criLabels.containerName] ?? c.metadata.name ?? "",
        id: c.cgroup,
        image: input.imageNames.get(c.imageId) ?? c.imageRef,
        name: c.id,
        namespace: c.labels[criLabels.podNamespace] ?? meta?.namespace ?? "",
        pod: c.labels[criLabels.podName] ?? meta?.name ?? "",
      },
      startTimeSeconds: nanosToSeconds(c.createdAt),
      containerId: c.id,
    });
  }
  const seen = new Set<string>();
  return targets.filter((t) => !seen.has(t.cgroup) && seen.add(t.cgroup));
}
