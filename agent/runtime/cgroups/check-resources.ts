import { invalidArgument } from "../../../lib/errors.js";
import type { CgroupResources } from "./resources.js";

const numeric = [
  "cpuShares",
  "cpuQuotaUs",
  "cpuPeriodUs",
  "memoryLimitBytes",
  "memorySwapLimitBytes",
  "pidsLimit",
] as const;

/** Refuses what no kernel file would take: non-integers, unsafe integers, malformed page sizes or keys. */
export function checkResources(r: CgroupResources): void {
  for (const key of numeric) {
    const v = r[key];
    if (v !== undefined && !Number.isSafeInteger(v)) {
      throw invalidArgument(`${key}: ${v} is not an integer`, { field: key });
    }
  }
  for (const [i, h] of (r.hugepageLimits ?? []).entries()) {
    if (!/^\d+[KMG]B$/.test(h.pageSize)) {
      throw invalidArgument(
        `hugepageLimits[${i}].pageSize: ${JSON.stringify(h.pageSize)} is not a page size like 2MB`,
        {
          field: `hugepageLimits[${i}].pageSize`,
        },
      );
    }
    if (!Number.isSafeInteger(h.limitBytes) || h.limitBytes < 0) {
      throw invalidArgument(
        `hugepageLimits[${i}].limitBytes: ${h.limitBytes} is not a byte count`,
        {
          field: `hugepageLimits[${i}].limitBytes`,
        },
      );
    }
  }
  for (const key of Object.keys(r.unified ?? {})) {
    if (!/^[a-z_]+\.[A-Za-z0-9_.-]+$/.test(key) || key.includes("..")) {
      throw invalidArgument(`unified[${key}]: not a cgroup v2 file name`, {
        field: `unified[${key}]`,
      });
    }
  }
}
