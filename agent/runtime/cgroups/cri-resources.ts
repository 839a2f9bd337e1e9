import { invalidArgument } from "../../../lib/errors.js";
import type { LinuxContainerResources } from "../../../proto/gen/runtime/v1/LinuxContainerResources.js";
import { maxShares, minShares } from "./conversions.js";
import type { CgroupResources } from "./resources.js";

type Int64 = LinuxContainerResources["cpu_period"];

/**
 * CRI LinuxContainerResources → CgroupResources. int64 fields arrive as decimal strings (longs as
 * strings), numbers or Longs; 0 and "" mean "not set", as in the kubelet. Negative values are
 * refused, naming the field, except the two that mean "unlimited": cpu_quota -1 and
 * memory_swap_limit_in_bytes -1. oom_score_adj is a process setting, not a cgroup one: ignored.
 */
export function cgroupResourcesFromCri(
  input: LinuxContainerResources | null | undefined,
  field = "linux.resources",
): CgroupResources {
  const r: CgroupResources = {};
  if (!input) return r;
  const f = (name: string) => `${field}.${name}`;

  const period = int(input.cpu_period, f("cpu_period"));
  if (period !== 0) {
    range(period, 1000, 1_000_000, f("cpu_period"), "µs");
    r.cpuPeriodUs = period;
  }
  const quota = int(input.cpu_quota, f("cpu_quota"), { allowUnlimited: true });
  if (quota !== 0) {
    if (quota !== -1) range(quota, 1000, Number.MAX_SAFE_INTEGER, f("cpu_quota"), "µs");
    r.cpuQuotaUs = quota;
  }
  const shares = int(input.cpu_shares, f("cpu_shares"));
  if (shares !== 0) {
    range(shares, minShares, maxShares, f("cpu_shares"), "");
    r.cpuShares = shares;
  }
  const memory = int(input.memory_limit_in_bytes, f("memory_limit_in_bytes"));
  if (memory !== 0) r.memoryLimitBytes = memory;
  const swap = int(input.memory_swap_limit_in_bytes, f("memory_swap_limit_in_bytes"), {
    allowUnlimited: true,
  });
  if (swap > 0) {
    if (memory === 0) {
      throw invalidArgument(
        `${f("memory_swap_limit_in_bytes")}: a swap limit needs memory_limit_in_bytes too`,
        {
          field: f("memory_swap_limit_in_bytes"),
        },
      );
    }
    if (swap < memory) {
      throw invalidArgument(
        `${f("memory_swap_limit_in_bytes")}: ${swap} (memory plus swap) is below memory_limit_in_bytes ${memory}`,
        { field: f("memory_swap_limit_in_bytes") },
      );
    }
  }
  if (swap !== 0) r.memorySwapLimitBytes = swap;

  if (input.cpuset_cpus) r.cpusetCpus = cpuList(input.cpuset_cpus, f("cpuset_cpus"));
  if (input.cpuset_mems) r.cpusetMems = cpuList(input.cpuset_mems, f("cpuset_mems"));

  const hugepages = (input.hugepage_limits ?? []).map((h, i) => {
    const name = f(`hugepage_limits[${i}]`);
    if (!/^\d+[KMG]B$/.test(h.page_size ?? "")) {
      throw invalidArgument(
        `${name}.page_size: ${JSON.stringify(h.page_size)} is not a page size like "2MB"`,
        {
          field: `${name}.page_size`,
        },
      );
    }
    return { pageSize: h.page_size as string, limitBytes: int(h.limit, `${name}.limit`) };
  });
  if (hugepages.length > 0) r.hugepageLimits = hugepages;

  const unified = Object.entries(input.unified ?? {});
  for (const [key] of unified) {
    if (!/^[a-z_]+\.[A-Za-z0-9_.-]+$/.test(key) || key.includes("..")) {
      throw invalidArgument(`${f("unified")}[${key}]: not a cgroup v2 file name`, {
        field: `${f("unified")}[${key}]`,
      });
    }
  }
  if (unified.length > 0) r.unified = Object.fromEntries(unified);
  return r;
}

/** An int64 field as a safe integer; negative refused unless -1 means unlimited. */
function int(
  value: Int64 | undefined,
  field: string,
  options: { allowUnlimited?: boolean } = {},
): number {
  if (value === undefined || value === null || value === "") return 0;
  const text = typeof value === "object" ? value.toString() : String(value);
  if (!/^-?\d+$/.test(text))
    throw invalidArgument(`${field}: ${JSON.stringify(text)} is not an integer`, { field });
  const big = BigInt(text);
  if (big < 0n && !(options.allowUnlimited && big === -1n)) {
    throw invalidArgument(`${field}: must not be negative (got ${text})`, { field });
  }
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw invalidArgument(`${field}: ${text} is too large`, { field });
  }
  return Number(big);
}

function range(value: number, min: number, max: number, field: string, unit: string): void {
  if (value < min || value > max) {
    const u = unit ? ` ${unit}` : "";
    throw invalidArgument(`${field}: ${value}${u} is outside ${min}–${max}${u}`, { field });
  }
}

/** A cpu or memory-node list such as "0-3,6"; ranges must not run backwards. */
function cpuList(text: string, field: string): string {
  const list = text.trim();
  const ok = list.split(",").every((part) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    return m !== null && (m[2] === undefined || Number(m[2]) >= Number(m[1]));
  });
  if (!ok)
    throw invalidArgument(`${field}: ${JSON.stringify(text)} is not a list like "0-3,6"`, {
      field,
    });
  return list;
}
