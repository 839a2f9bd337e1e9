import { promises as fs } from "node:fs";
import { failedPrecondition } from "../../../lib/errors.js";
import type { CgroupFs } from "./cgroup-fs.js";
import { nodeCgroupFs } from "./cgroup-fs.js";
import type { MountedHierarchy } from "./cgroup-path.js";
import { parseCgroupMounts, v1Controllers } from "./mountinfo.js";

/** A v1 hierarchy: one mount with one or more controllers ("cpu", "cpu,cpuacct") or a name. */
export interface V1Hierarchy extends MountedHierarchy {
  /** Controller names, plus "name=<n>" for a named hierarchy such as name=systemd. */
  controllers: string[];
}

/** The cgroup2 hierarchy: the whole tree on v2, the "unified" mount beside v1 on hybrid hosts. */
export interface UnifiedHierarchy extends MountedHierarchy {
  /** What its root's cgroup.controllers offers (on hybrid hosts only what v1 left unbound). */
  controllers: string[];
}

export type CgroupLayout =
  | { version: 1; hierarchies: V1Hierarchy[]; unified?: UnifiedHierarchy }
  | { version: 2; unified: UnifiedHierarchy };

export interface DetectOptions {
  /** Text of a mountinfo file (default: /proc/self/mountinfo). */
  mountinfo?: string;
  /** Where the cgroup filesystems are mounted (default /sys/fs/cgroup). */
  cgroupRoot?: string;
  fs?: CgroupFs;
}

/**
 * Detects cgroup v2 (a cgroup2 mount at the cgroup root with a cgroup.controllers file) or v1 —
 * every v1 hierarchy from mountinfo, joint ("cpu,cpuacct") or separate, named ones, and the
 * cgroup2 mount of a hybrid host. Nothing is assumed about where each controller is mounted.
 */
export async function detectCgroupLayout(options: DetectOptions = {}): Promise<CgroupLayout> {
  const cfs = options.fs ?? nodeCgroupFs;
  const cgroupRoot = (options.cgroupRoot ?? "/sys/fs/cgroup").replace(/\/+$/, "");
  const text = options.mountinfo ?? (await fs.readFile("/proc/self/mountinfo", "utf8"));
  const mounts = parseCgroupMounts(text);
  const underRoot = (p: string) => p === cgroupRoot || p.startsWith(cgroupRoot + "/");

  const v2 = mounts.find((m) => m.fsType === "cgroup2" && m.mountPoint === cgroupRoot);
  if (v2 && (await cfs.exists(`${cgroupRoot}/cgroup.controllers`))) {
    return { version: 2, unified: await unified(cfs, v2.mountPoint, v2.root) };
  }

  const hierarchies: V1Hierarchy[] = [];
  const seen = new Set<string>();
  // Prefer mounts under the cgroup root: a bind mount elsewhere shows the same hierarchy again.
  const v1 = mounts
    .filter((m) => m.fsType === "cgroup")
    .sort((a, b) => Number(underRoot(b.mountPoint)) - Number(underRoot(a.mountPoint)));
  for (const m of v1) {
    const controllers = v1Controllers(m);
    const key = [...controllers].sort().join(",");
    if (controllers.length === 0 || seen.has(key)) continue;
    seen.add(key);
    hierarchies.push({ mountPoint: m.mountPoint, mountRoot: m.root, controllers });
  }
  if (hierarchies.length === 0) {
    throw failedPrecondition(`no cgroup v1 or v2 filesystem is mounted at ${cgroupRoot}`);
  }
  const hybrid =
    mounts.find((m) => m.fsType === "cgroup2" && underRoot(m.mountPoint)) ??
    mounts.find((m) => m.fsType === "cgroup2");
  return {
    version: 1,
    hierarchies,
    ...(hybrid ? { unified: await unified(cfs, hybrid.mountPoint, hybrid.root) } : {}),
  };
}

async function unified(
  cfs: CgroupFs,
  mountPoint: string,
  mountRoot: string,
): Promise<UnifiedHierarchy> {
  const text = await cfs.readFile(`${mountPoint}/cgroup.controllers`).catch(() => "");
  return { mountPoint, mountRoot, controllers: text.split(/\s+/).filter((c) => c !== "") };
}
