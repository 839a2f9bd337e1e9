import { syncReadCgroupFs } from "./cgroup-fs.js";
import type { CgroupManager } from "./cgroup-manager.js";
import type { CgroupLayout, DetectOptions } from "./detect.js";
import { detectCgroupLayout } from "./detect.js";
import type { CgroupManagerOptions } from "./manager-options.js";
import { CgroupV1Manager } from "./v1-manager.js";
import { CgroupV2Manager } from "./v2-manager.js";

/** Detects this host's cgroup version and layout and returns the matching manager. */
export async function createCgroupManager(
  options: CgroupManagerOptions & DetectOptions = {},
): Promise<CgroupManager> {
  const layout = await detectCgroupLayout(options);
  return layout.version === 2
    ? new CgroupV2Manager(layout, options)
    : new CgroupV1Manager(layout, options);
}

/**
 * A manager for an already detected layout that reads control files synchronously
 * (syncReadCgroupFs): for metrics scrapes, which read every cgroup of the node each time.
 */
export function pollingCgroupManager(layout: CgroupLayout): CgroupManager {
  const options = { fs: syncReadCgroupFs };
  return layout.version === 2
    ? new CgroupV2Manager(layout, options)
    : new CgroupV1Manager(layout, options);
}
