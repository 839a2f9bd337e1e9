import type { CgroupCpuSpec } from "./cpu-spec.js";
import type { CgroupLayout } from "./detect.js";
import type { CgroupResources } from "./resources.js";
import type { CgroupStats } from "./stats.js";

export type { CgroupResources, HugepageLimit } from "./resources.js";
export type { CgroupStats } from "./stats.js";
export type { CgroupCpuSpec } from "./cpu-spec.js";

/**
 * Berth's cgroups, v1 or v2 behind one interface. Every path is an absolute cgroup path
 * ("/berth/<pod>/<ctr>"), the same in every hierarchy; a relative path or one with ".." is
 * refused with InvalidArgument.
 */
export interface CgroupManager {
  readonly version: 1 | 2;
  readonly layout: CgroupLayout;
  /**
   * Makes the cgroup (and missing parents) everywhere Berth uses: every v1 hierarchy including
   * named and hybrid-unified ones, with cpuset.cpus/mems initialised from the parent; on v2 the
   * controllers enabled in each parent's cgroup.subtree_control. Idempotent.
   */
  create(path: string): Promise<void>;
  /** Whether the cgroup exists in any hierarchy. */
  exists(path: string): Promise<boolean>;
  /** Writes the given limits; throws (naming file and value) on the first one the kernel refuses. */
  apply(path: string, resources: CgroupResources): Promise<void>;
  stats(path: string): Promise<CgroupStats>;
  /** OOM kills counted in the cgroup; NotFound if it cannot be read. */
  oomKills(path: string): Promise<number>;
  /** CFS period and quota and CPU shares, in v1 terms (empty when the cgroup is absent). */
  cpuSpec(path: string): Promise<CgroupCpuSpec>;
  /**
   * Processes in the cgroup itself, not its descendants, from one hierarchy's cgroup.procs (as
   * cAdvisor counts a container's); undefined if it cannot be read. One read: cheap to poll.
   */
  ownProcessCount(path: string): Promise<number | undefined>;
  /** Every process in the cgroup and its descendants, in any hierarchy, ascending. */
  pids(path: string): Promise<number[]>;
  /** Moves a process into the cgroup in every hierarchy. */
  addProcess(path: string, pid: number): Promise<void>;
  /**
   * Signals every process in the cgroup tree while it is frozen, so none can fork its way out,
   * then thaws it. Returns how many processes were signalled.
   */
  killAll(path: string, signal?: NodeJS.Signals): Promise<number>;
  /**
   * Removes the cgroup and its descendants from every hierarchy, leaf first. Absent is fine;
   * while processes exit, EBUSY is retried briefly; FailedPrecondition if processes remain.
   */
  remove(path: string): Promise<void>;
  /** Absolute paths of the child cgroups of `path`, in any hierarchy (none if it is absent). */
  children(path: string): Promise<string[]>;
}
