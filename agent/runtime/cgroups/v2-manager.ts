import { notFound } from "../../../lib/errors.js";
import type { CgroupManager } from "./cgroup-manager.js";
import {
  ancestry,
  cgroupPath,
  childPath,
  directoryOf,
  isWithin,
  nonRootCgroupPath,
} from "./cgroup-path.js";
import { childNames, existsAnywhere, makeDirs, removeTrees, treePids } from "./cgroup-tree.js";
import { checkResources } from "./check-resources.js";
import { countOwnProcesses, readV2CpuSpec, type CgroupCpuSpec } from "./cpu-spec.js";
import { parseCounter, parseFlatKeyed, readControl, writeControl } from "./control-files.js";
import type { CgroupLayout } from "./detect.js";
import { killAll } from "./kill-all.js";
import type { CgroupManagerOptions, ResolvedOptions } from "./manager-options.js";
import { resolveOptions } from "./manager-options.js";
import type { CgroupResources } from "./resources.js";
import type { CgroupStats } from "./stats.js";
import { applyV2 } from "./v2-apply.js";
import { berthV2Controllers, enableIn } from "./v2-controllers.js";
import { v2Freezer } from "./v2-freezer.js";
import { readV2Stats } from "./v2-stats.js";

export type V2Layout = Extract<CgroupLayout, { version: 2 }>;

/** cgroup v2: one tree; each parent delegates Berth's controllers through cgroup.subtree_control. */
export class CgroupV2Manager implements CgroupManager {
  readonly version = 2 as const;
  private readonly o: ResolvedOptions;

  constructor(
    readonly layout: V2Layout,
    options: CgroupManagerOptions = {},
  ) {
    this.o = resolveOptions(options);
  }

  async create(path: string): Promise<void> {
    const p = nonRootCgroupPath(path);
    const levels = ancestry(p).filter((level) => isWithin(level, this.layout.unified.mountRoot));
    for (let i = 1; i < levels.length; i++) {
      await enableIn(this.o.fs, this.dir(levels[i - 1]), berthV2Controllers);
      await makeDirs(this.o.fs, [this.dir(levels[i])]);
    }
  }

  async exists(path: string): Promise<boolean> {
    return existsAnywhere(this.o.fs, [this.dir(cgroupPath(path))]);
  }

  async apply(path: string, r: CgroupResources): Promise<void> {
    const p = nonRootCgroupPath(path);
    checkResources(r);
    await applyV2(this.o.fs, this.dir(p), r);
  }

  async stats(path: string): Promise<CgroupStats> {
    const p = cgroupPath(path);
    if (!(await this.exists(p))) throw notFound(`cgroup ${p} does not exist`);
    return readV2Stats(this.o.fs, this.dir(p));
  }

  async oomKills(path: string): Promise<number> {
    const p = cgroupPath(path);
    const file = `${this.dir(p)}/memory.events`;
    const kills = parseCounter(parseFlatKeyed(await readControl(this.o.fs, file)).get("oom_kill"));
    if (kills === undefined)
      throw notFound(`cannot read the OOM kill count of cgroup ${p} (${file})`);
    return kills;
  }

  async cpuSpec(path: string): Promise<CgroupCpuSpec> {
    return readV2CpuSpec(this.o.fs, this.dir(cgroupPath(path)));
  }

  async ownProcessCount(path: string): Promise<number | undefined> {
    return countOwnProcesses(this.o.fs, this.dir(cgroupPath(path)));
  }

  async pids(path: string): Promise<number[]> {
    return treePids(this.o.fs, [this.dir(cgroupPath(path))]);
  }

  async addProcess(path: string, pid: number): Promise<void> {
    const p = nonRootCgroupPath(path);
    await writeControl(this.o.fs, this.dir(p), "cgroup.procs", String(pid), {
      EBUSY:
        "v2 allows processes only in leaf cgroups (no controllers enabled in its subtree_control)",
      ESRCH: "no such process",
    });
  }

  /** SIGKILL goes through cgroup.kill where the kernel has it (5.14+): atomic for the whole tree. */
  async killAll(path: string, signal: NodeJS.Signals = "SIGKILL"): Promise<number> {
    const p = nonRootCgroupPath(path);
    const dir = this.dir(p);
    if (!(await this.exists(p))) return 0;
    if (signal === "SIGKILL" && (await this.o.fs.exists(`${dir}/cgroup.kill`))) {
      const pids = await this.pids(p);
      await writeControl(this.o.fs, dir, "cgroup.kill", "1");
      return pids.length;
    }
    return killAll({
      freezer: (await this.o.fs.exists(`${dir}/cgroup.freeze`))
        ? v2Freezer(this.o.fs, dir, this.o.freezeTimeoutMs, this.o.sleep)
        : undefined,
      pids: () => this.pids(p),
      signal,
      kill: this.o.kill,
      sleep: this.o.sleep,
    });
  }

  async remove(path: string): Promise<void> {
    const p = nonRootCgroupPath(path);
    await removeTrees(this.o.fs, [this.dir(p)], {
      path: p,
      timeoutMs: this.o.removeTimeoutMs,
      sleep: this.o.sleep,
    });
  }

  async children(path: string): Promise<string[]> {
    const p = cgroupPath(path);
    return (await childNames(this.o.fs, [this.dir(p)])).map((name) => childPath(p, name));
  }

  private dir(p: string): string {
    return directoryOf(this.layout.unified, p);
  }
}
