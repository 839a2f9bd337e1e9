import { isBerthError } from "../../../lib/errors.js";
import type { CgroupFs } from "./cgroup-fs.js";
import { writeControl } from "./control-files.js";

/**
 * Sets v1 cpu.shares and the CFS quota/period. A shorter period can be refused (EINVAL) while the
 * old quota over the new period would exceed the parent's bandwidth; when a quota is being set
 * too, it goes first and the period is retried after it (as runc does).
 */
export async function applyV1Cpu(
  fs: CgroupFs,
  dir: string,
  shares: number | undefined,
  quotaUs: number | undefined,
  periodUs: number | undefined,
): Promise<void> {
  if (shares !== undefined) await writeControl(fs, dir, "cpu.shares", String(shares));
  let periodPending = false;
  if (periodUs !== undefined) {
    try {
      await writeControl(fs, dir, "cpu.cfs_period_us", String(periodUs));
    } catch (err) {
      if (quotaUs === undefined || !isBerthError(err, "InvalidArgument")) throw err;
      periodPending = true;
    }
  }
  if (quotaUs !== undefined) {
    await writeControl(fs, dir, "cpu.cfs_quota_us", String(quotaUs < 0 ? -1 : quotaUs), {
      EINVAL: "a quota must be at least 1000 µs and fit within the parent's quota",
    });
    if (periodPending) await writeControl(fs, dir, "cpu.cfs_period_us", String(periodUs));
  }
}
