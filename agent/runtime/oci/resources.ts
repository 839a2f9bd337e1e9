import { invalidArgument } from "../../../lib/errors.js";
import type { LinuxContainerResources__Output } from "../../../proto/gen/runtime/v1/LinuxContainerResources.js";
import type { HostFacts } from "./host-facts.js";
import { int64 } from "./int64.js";
import type { OciResources } from "./oci-spec.js";

const base = "config.linux.resources";

/**
 * linux.resources (without devices) from the CRI resources, as containerd maps them: 0/"" means
 * unset; a memory limit without a swap limit also caps memory+swap at the limit (no swapping)
 * where swap is accounted; hugepage limits are dropped where the hugetlb controller is missing
 * (containerd's default tolerate_missing_hugetlb_controller); `unified` needs cgroup v2, where
 * runc accepts it. The CRI carries no pids limit: the kubelet sets the pod's on the pod cgroup it
 * passes as cgroup_parent, which the container's cgroup is made under.
 */
export function linuxResources(
  r: LinuxContainerResources__Output | null | undefined,
  host: Pick<HostFacts, "swapAccounting" | "hugetlb" | "cgroupVersion">,
): Omit<OciResources, "devices"> {
  if (!r) return {};
  const out: Omit<OciResources, "devices"> = {};
  const cpu: NonNullable<OciResources["cpu"]> = {};

  const shares = nonNegative(r.cpu_shares, "cpu_shares");
  if (shares > 0) cpu.shares = shares;
  const quota = int64(r.cpu_quota, `${base}.cpu_quota`);
  if (quota < -1) {
    throw invalidArgument(`${base}.cpu_quota: ${quota} is negative (only -1, unlimited, is)`, {
      field: `${base}.cpu_quota`,
    });
  }
  if (quota !== 0) cpu.quota = quota;
  const period = nonNegative(r.cpu_period, "cpu_period");
  if (period > 0) cpu.period = period;
  if (r.cpuset_cpus) cpu.cpus = cpuList(r.cpuset_cpus, "cpuset_cpus");
  if (r.cpuset_mems) cpu.mems = cpuList(r.cpuset_mems, "cpuset_mems");
  if (Object.keys(cpu).length > 0) out.cpu = cpu;

  const limit = nonNegative(r.memory_limit_in_bytes, "memory_limit_in_bytes");
  const swap = int64(r.memory_swap_limit_in_bytes, `${base}.memory_swap_limit_in_bytes`);
  if (swap < -1) {
    throw invalidArgument(
      `${base}.memory_swap_limit_in_bytes: ${swap} is negative (only -1, unlimited, is)`,
      {
        field: `${base}.memory_swap_limit_in_bytes`,
      },
    );
  }
  if (swap > 0 && limit > 0 && swap < limit) {
    throw invalidArgument(
      `${base}.memory_swap_limit_in_bytes: ${swap} (memory plus swap) is below memory_limit_in_bytes ${limit}`,
      { field: `${base}.memory_swap_limit_in_bytes` },
    );
  }
  const memory: NonNullable<OciResources["memory"]> = {};
  if (limit > 0) memory.limit = limit;
  if (host.swapAccounting) {
    if (swap !== 0) memory.swap = swap;
    else if (limit > 0) memory.swap = limit;
  }
  if (Object.keys(memory).length > 0) out.memory = memory;

  const hugepages = (r.hugepage_limits ?? []).map((h, i) => {
    const field = `${base}.hugepage_limits[${i}]`;
    if (!/^\d+[KMG]B$/.test(h.page_size ?? "")) {
      throw invalidArgument(
        `${field}.page_size: ${JSON.stringify(h.page_size)} is not a size like "2MB"`,
        {
          field: `${field}.page_size`,
        },
      );
    }
    const hugeLimit = int64(h.limit, `${field}.limit`);
    if (hugeLimit < 0)
      throw invalidArgument(`${field}.limit: ${hugeLimit} is negative`, {
        field: `${field}.limit`,
      });
    return { pageSize: h.page_size, limit: hugeLimit };
  });
  if (hugepages.length > 0 && host.hugetlb) out.hugepageLimits = hugepages;

  const unified = Object.entries(r.unified ?? {});
  if (unified.length > 0) {
    if (host.cgroupVersion !== 2) {
      throw invalidArgument(`${base}.unified: cgroup v2 settings on a cgroup v1 node`, {
        field: `${base}.unified`,
      });
    }
    for (const [key, value] of unified) {
      if (!/^[a-z_]+\.[A-Za-z0-9_.-]+$/.test(key) || key.includes("..") || /[\n\0]/.test(value)) {
        throw invalidArgument(`${base}.unified[${key}]: not a cgroup v2 file and value`, {
          field: `${base}.unified[${key}]`,
        });
      }
    }
    out.unified = Object.fromEntries(unified);
  }
  return out;
}

/**
 * process.oomScoreAdj, always written and never negative (host.md): a negative request — the
 * kubelet's -997 for Guaranteed pods — runs at 0. Left unset, the container would inherit the
 * agent's own value through conmon and runc, which is negative wherever the agent is protected
 * from the OOM killer as containerd is; and a negative value needs CAP_SYS_RESOURCE, which root
 * lacks on these nodes, so runc would fail to create the container.
 */
export function oomScoreAdj(r: LinuxContainerResources__Output | null | undefined): number {
  if (!r) return 0;
  const field = `${base}.oom_score_adj`;
  const adj = int64(r.oom_score_adj, field);
  if (adj < -1000 || adj > 1000)
    throw invalidArgument(`${field}: ${adj} is outside -1000…1000`, { field });
  return Math.max(adj, 0);
}

function nonNegative(value: string, name: string): number {
  const field = `${base}.${name}`;
  const n = int64(value, field);
  if (n < 0) throw invalidArgument(`${field}: ${n} is negative`, { field });
  return n;
}

function cpuList(list: string, name: string): string {
  const field = `${base}.${name}`;
  const clean = list.replace(/\s+/g, "");
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(clean)) {
    throw invalidArgument(`${field}: ${JSON.stringify(list)} is not a list like "0-3,5"`, {
      field,
    });
  }
  return clean;
}
