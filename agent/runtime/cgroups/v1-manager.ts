import { failedPrecondition, notFound } from "../../../lib/errors.js";
import type { CgroupManager } from "./cgroup-manager.js";
import type { MountedHierarchy } from "./cgroup-path.js";
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
import { countOwnProcesses, readV1CpuSpec, type CgroupCpuSpec } from "./cpu-spec.js";
import { parseFlatKeyed, parseCounter, readControl, writeControl } from "./control-files.js";
import type { CgroupLayout, V1Hierarchy } from "./detect.js";
import { killAll } from "./kill-all.js";
import type { CgroupManagerOptions, ResolvedOptions } from "./manager-options.js";
import { resolveOptions } from "./manager-options.js";
import type { CgroupResources, HugepageLimit } from "./resources.js";
import type { CgroupStats } from "./stats.js";
import { v1Freezer } from "./v1-freezer.js";
import { applyV1Cpu } from "./v1-cpu.js";
import { initCpusets } from "./v1-cpuset.js";
import { applyV1Memory } from "./v1-memory.js";
import { readV1Stats } from "./v1-stats.js";
import { enableControllers } from "./v2-controllers.js";

export type V1Layout = Extract<CgroupLayout, { version: 1 }>;

/**
 * cgroup v1: one directory per mounted hierarchy (controllers joint or separate, named ones such
 * as name=systemd) plus, on hybrid hosts, the cgroup2 "unified" mount — the same set runc
 * creates a container's leaf in, so Berth's parents exist wherever runc puts the leaf.
 */
export class CgroupV1Manager implements CgroupManager {
  readonly version = 1 as const;
  private readonly o: ResolvedOptions;

  constructor(
    readonly layout: V1Layout,
    options: CgroupManagerOptions = {},
  ) {
    this.o = resolveOptions(options);
  }

  async create(path: string): Promise<void> {
    const p = nonRootCgroupPath(path);
    for (const h of this.hierarchies()) {
      const dirs = ancestry(p)
        .filter((level) => isWithin(level, h.mountRoot))
        .map((level) => directoryOf(h, level));
      await makeDirs(this.o.fs, dirs.slice(1));
      if (h !== this.layout.unified && hasController(h as V1Hierarchy, "cpuset"))
        await initCpusets(this.o.fs, dirs);
    }
  }

  async exists(path: string): Promise<boolean> {
    return existsAnywhere(this.o.fs, this.dirs(cgroupPath(path)));
  }

  async apply(path: string, r: CgroupResources): Promise<void> {
    const p = nonRootCgroupPath(path);
    checkResources(r);
    const fs = this.o.fs;
    if (r.unified && Object.keys(r.unified).length > 0) {
      throw failedPrecondition(
        `unified: cgroup v2 settings (${Object.keys(r.unified).join(", ")}) cannot be applied on a cgroup v1 host`,
        { field: "unified" },
      );
    }
    if (r.cpusetCpus !== undefined)
      await writeControl(fs, this.need("cpuset", p), "cpuset.cpus", r.cpusetCpus);
    if (r.cpusetMems !== undefined)
      await writeControl(fs, this.need("cpuset", p), "cpuset.mems", r.cpusetMems);
    if (r.cpuShares !== undefined || r.cpuQuotaUs !== undefined || r.cpuPeriodUs !== undefined) {
      await applyV1Cpu(fs, this.need("cpu", p), r.cpuShares, r.cpuQuotaUs, r.cpuPeriodUs);
    }
    if (r.memoryLimitBytes !== undefined || r.memorySwapLimitBytes !== undefined) {
      await applyV1Memory(fs, this.need("memory", p), r.memoryLimitBytes, r.memorySwapLimitBytes);
    }
    if (r.pidsLimit !== undefined) {
      await writeControl(
        fs,
        this.need("pids", p),
        "pids.max",
        r.pidsLimit < 0 ? "max" : String(r.pidsLimit),
      );
    }
    for (const limit of r.hugepageLimits ?? []) await this.applyHugepages(p, limit);
  }

  async stats(path: string): Promise<CgroupStats> {
    const p = cgroupPath(path);
    if (!(await this.exists(p))) throw notFound(`cgroup ${p} does not exist`);
    return readV1Stats(this.o.fs, (controller) => this.dirOf(controller, p));
  }

  async oomKills(path: string): Promise<number> {
    const p = cgroupPath(path);
    const dir = this.dirOf("memory", p);
    const file = `${dir}/memory.oom_control`;
    const kills =
      dir === undefined
        ? undefined
        : parseCounter(parseFlatKeyed(await readControl(this.o.fs, file)).get("oom_kill"));
    if (kills === undefined)
      throw notFound(`cannot read the OOM kill count of cgroup ${p} (${file})`);
    return kills;
  }

  async cpuSpec(path: string): Promise<CgroupCpuSpec> {
    return readV1CpuSpec(this.o.fs, this.dirOf("cpu", cgroupPath(path)));
  }

  async ownProcessCount(path: string): Promise<number | undefined> {
    const p = cgroupPath(path);
    return countOwnProcesses(this.o.fs, this.dirOf("cpu", p) ?? this.dirs(p)[0]);
  }

  async pids(path: string): Promise<number[]> {
    return treePids(this.o.fs, this.dirs(cgroupPath(path)));
  }

  async addProcess(path: string, pid: number): Promise<void> {
    const p = nonRootCgroupPath(path);
    for (const dir of this.dirs(p)) {
      await writeControl(this.o.fs, dir, "cgroup.procs", String(pid), {
        ENOSPC: "its cpuset.cpus or cpuset.mems is empty (was the cgroup made by create?)",
        ESRCH: "no such process",
      });
    }
  }

  async killAll(path: string, signal: NodeJS.Signals = "SIGKILL"): Promise<number> {
    const p = nonRootCgroupPath(path);
    if (!(await this.exists(p))) return 0;
    const freezerDir = this.dirOf("freezer", p);
    const frozen = freezerDir !== undefined && (await this.o.fs.exists(freezerDir));
    return killAll({
      freezer: frozen
        ? v1Freezer(this.o.fs, freezerDir, this.o.freezeTimeoutMs, this.o.sleep)
        : undefined,
      pids: () => this.pids(p),
      signal,
      kill: this.o.kill,
      sleep: this.o.sleep,
    });
  }

  async remove(path: string): Promise<void> {
    const p = nonRootCgroupPath(path);
    await removeTrees(this.o.fs, this.dirs(p), {
      path: p,
      timeoutMs: this.o.removeTimeoutMs,
      sleep: this.o.sleep,
    });
  }

  async children(path: string): Promise<string[]> {
    const p = cgroupPath(path);
    return (await childNames(this.o.fs, this.dirs(p))).map((name) => childPath(p, name));
  }

  /** v2's hugetlb serves hybrid hosts whose v1 has no hugetlb hierarchy (such as these machines). */
  private async applyHugepages(p: string, limit: HugepageLimit): Promise<void> {
    const v1 = this.dirOf("hugetlb", p);
    if (v1 !== undefined) {
      await writeControl(
        this.o.fs,
        v1,
        `hugetlb.${limit.pageSize}.limit_in_bytes`,
        String(limit.limitBytes),
      );
      return;
    }
    const unified = this.layout.unified;
    if (!unified?.controllers.includes("hugetlb") || !isWithin(p, unified.mountRoot)) {
      throw failedPrecondition(
        `cannot set a ${limit.pageSize} huge page limit on ${p}: no hugetlb controller (v1 or unified) on this host`,
      );
    }
    await enableControllers(this.o.fs, unified, p, ["hugetlb"]);
    await writeControl(
      this.o.fs,
      directoryOf(unified, p),
      `hugetlb.${limit.pageSize}.max`,
      String(limit.limitBytes),
    );
  }

  private hierarchies(): MountedHierarchy[] {
    return this.layout.unified
      ? [...this.layout.hierarchies, this.layout.unified]
      : this.layout.hierarchies;
  }

  private dirs(p: string): string[] {
    return this.hierarchies()
      .filter((h) => isWithin(p, h.mountRoot))
      .map((h) => directoryOf(h, p));
  }

  private dirOf(controller: string, p: string): string | undefined {
    const h = this.layout.hierarchies.find((x) => hasController(x, controller));
    return h && isWithin(p, h.mountRoot) ? directoryOf(h, p) : undefined;
  }

  private need(controller: string, p: string): string {
    const dir = this.dirOf(controller, p);
    if (dir === undefined) {
      throw failedPrecondition(
        `cannot set ${controller} limits on ${p}: no v1 ${controller} hierarchy is mounted`,
      );
    }
    return dir;
  }
}

function hasController(h: V1Hierarchy, controller: string): boolean {
  return h.controllers.includes(controller);
}
