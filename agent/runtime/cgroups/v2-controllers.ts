import type { CgroupFs } from "./cgroup-fs.js";
import { ancestry, directoryOf, isWithin } from "./cgroup-path.js";
import { readControl, writeControl } from "./control-files.js";
import type { UnifiedHierarchy } from "./detect.js";

/** The v2 controllers Berth sets limits through. */
export const berthV2Controllers = ["cpuset", "cpu", "io", "memory", "hugetlb", "pids"];

/**
 * Enables `wanted` controllers (those the hierarchy offers) in the cgroup.subtree_control of every
 * ancestor of `path`, from the root down, so `path` gets their files. Controllers already enabled
 * are not written again; each is enabled on its own so an error names the one refused.
 */
export async function enableControllers(
  fs: CgroupFs,
  unified: UnifiedHierarchy,
  path: string,
  wanted: string[],
): Promise<void> {
  for (const ancestor of ancestry(path).slice(0, -1)) {
    if (!isWithin(ancestor, unified.mountRoot)) continue;
    await enableIn(fs, directoryOf(unified, ancestor), wanted);
  }
}

/** Enables `wanted` controllers in one cgroup's subtree_control (those it has and lacks). */
export async function enableIn(fs: CgroupFs, dir: string, wanted: string[]): Promise<void> {
  const available = words(await readControl(fs, `${dir}/cgroup.controllers`));
  const enabled = words(await readControl(fs, `${dir}/cgroup.subtree_control`));
  for (const c of wanted) {
    if (!available.has(c) || enabled.has(c)) continue;
    await writeControl(fs, dir, "cgroup.subtree_control", `+${c}`, {
      EBUSY: "a cgroup with processes of its own cannot enable controllers for its children",
    });
  }
}

function words(text: string | undefined): Set<string> {
  return new Set((text ?? "").split(/\s+/).filter((w) => w !== ""));
}
