import type { CgroupFs } from "./cgroup-fs.js";
import { parseFlatKeyed, readControl, writeControl } from "./control-files.js";
import type { Freezer } from "./kill-all.js";
import { pollUntil } from "./kill-all.js";

/** The v2 freezer of one cgroup: cgroup.freeze, confirmed by "frozen 1" in cgroup.events. */
export function v2Freezer(
  fs: CgroupFs,
  dir: string,
  timeoutMs: number,
  sleep: (ms: number) => Promise<void>,
): Freezer {
  return {
    async freeze() {
      await writeControl(fs, dir, "cgroup.freeze", "1");
      return pollUntil(
        async () =>
          parseFlatKeyed(await readControl(fs, `${dir}/cgroup.events`)).get("frozen") === "1",
        timeoutMs,
        sleep,
      );
    },
    async thaw() {
      await writeControl(fs, dir, "cgroup.freeze", "0");
    },
  };
}
