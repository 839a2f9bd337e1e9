import type { CgroupFs } from "./cgroup-fs.js";
import { readControl, writeControl } from "./control-files.js";
import type { Freezer } from "./kill-all.js";
import { pollUntil } from "./kill-all.js";

/** The v1 freezer of one cgroup: freezer.state FROZEN / THAWED (FREEZING while in progress). */
export function v1Freezer(
  fs: CgroupFs,
  dir: string,
  timeoutMs: number,
  sleep: (ms: number) => Promise<void>,
): Freezer {
  return {
    async freeze() {
      await writeControl(fs, dir, "freezer.state", "FROZEN");
      return pollUntil(
        async () => (await readControl(fs, `${dir}/freezer.state`)) === "FROZEN",
        timeoutMs,
        sleep,
      );
    },
    async thaw() {
      await writeControl(fs, dir, "freezer.state", "THAWED");
    },
  };
}
