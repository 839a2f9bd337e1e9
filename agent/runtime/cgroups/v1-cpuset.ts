import type { CgroupFs } from "./cgroup-fs.js";
import { readControl, writeControl } from "./control-files.js";

/**
 * A new v1 cpuset cgroup starts with empty cpuset.cpus and cpuset.mems, and the kernel refuses to
 * move any task into it (ENOSPC) until both are set. Copies each empty one from its parent, top
 * down, so every level of a freshly made path can take tasks. `dirs` runs from the root down.
 */
export async function initCpusets(fs: CgroupFs, dirs: string[]): Promise<void> {
  for (let i = 1; i < dirs.length; i++) {
    for (const file of ["cpuset.cpus", "cpuset.mems"]) {
      if (((await readControl(fs, `${dirs[i]}/${file}`)) ?? "") !== "") continue;
      const inherited = (await readControl(fs, `${dirs[i - 1]}/${file}`)) ?? "";
      if (inherited !== "") await writeControl(fs, dirs[i], file, inherited);
    }
  }
}
