import { isBerthError } from "../../../lib/errors.js";
import type { CgroupManager } from "../../runtime/cgroups/cgroup-manager.js";
import type { CgroupSample } from "./cgroup-sample.js";
import type { InterfaceCounters } from "./net-dev.js";
import type { ScrapeTarget } from "./targets.js";

/** Where a scrape reads from; each is replaced by a fake in unit tests. */
export interface SampleSources {
  cgroups: Pick<CgroupManager, "stats" | "cpuSpec" | "ownProcessCount">;
  /** /proc/<pid>/net/dev; undefined when the process is gone. */
  netDev(pid: number): Promise<InterfaceCounters[] | undefined>;
  /** Bytes the container's writable layer takes (cached); undefined when it is gone. */
  layerUsage(containerId: string): Promise<number | undefined>;
  /** The device of the filesystem holding the writable layers. */
  layerDevice(): Promise<string>;
  nowMs(): number;
}

/**
 * Reads one cgroup's counters, settings and process count, and the pod's network or the
 * container's writable layer, all at once. Undefined when the cgroup is gone (a container that
 * exited since the records were listed); any other failure is thrown.
 */
export async function readTarget(
  t: ScrapeTarget,
  src: SampleSources,
): Promise<CgroupSample | undefined> {
  const timestampMs = src.nowMs();
  const [stats, cpuSpec, processes, network, usage, device] = await Promise.all([
    src.cgroups.stats(t.cgroup).catch((err: unknown) => {
      if (isBerthError(err, "NotFound")) return undefined;
      throw err;
    }),
    src.cgroups.cpuSpec(t.cgroup),
    src.cgroups.ownProcessCount(t.cgroup),
    t.netnsPid === undefined ? undefined : src.netDev(t.netnsPid),
    t.containerId === undefined ? undefined : src.layerUsage(t.containerId),
    t.containerId === undefined ? undefined : src.layerDevice(),
  ]);
  if (!stats) return undefined;
  return {
    labels: t.labels,
    timestampMs,
    startTimeSeconds: t.startTimeSeconds,
    stats,
    cpuSpec,
    processes,
    network,
    fs: usage === undefined || device === undefined ? undefined : { device, usageBytes: usage },
  };
}
