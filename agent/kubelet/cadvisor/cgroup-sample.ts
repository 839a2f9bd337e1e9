import type { CgroupCpuSpec, CgroupStats } from "../../runtime/cgroups/cgroup-manager.js";
import type { InterfaceCounters } from "./net-dev.js";

/**
 * The labels the kubelet gives every cAdvisor series, in name order: blank where a cgroup has
 * none (the pod cgroup has no container, name or image; the root cgroup only an id).
 */
export interface ContainerLabels {
  container: string;
  /** The cgroup path. */
  id: string;
  image: string;
  /** The runtime's container id. */
  name: string;
  namespace: string;
  pod: string;
}

/** What one scrape read of one cgroup; a part that could not be read is absent. */
export interface CgroupSample {
  labels: ContainerLabels;
  /** When the counters were read (ms since the epoch), stamped on their series as cAdvisor does. */
  timestampMs: number;
  /** Creation time of the container (pod: sandbox; root: boot), seconds since the epoch. */
  startTimeSeconds?: number;
  stats: CgroupStats;
  cpuSpec: CgroupCpuSpec;
  processes?: number;
  /** The writable layer's usage on the filesystem `device`. */
  fs?: { device: string; usageBytes: number };
  /** The pod's network namespace, on the pod cgroup's sample only. */
  network?: InterfaceCounters[];
}
