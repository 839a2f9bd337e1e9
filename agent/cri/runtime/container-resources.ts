import type { LinuxContainerResources } from "../../../proto/gen/runtime/v1/LinuxContainerResources.js";
import type { OciSpec } from "../../runtime/oci/oci-spec.js";

/** The container's current limits, read back from its OCI spec as containerd reports them. */
export function criResourcesFromSpec(spec: OciSpec): LinuxContainerResources {
  const r = spec.linux?.resources;
  return {
    cpu_period: String(r?.cpu?.period ?? 0),
    cpu_quota: String(r?.cpu?.quota ?? 0),
    cpu_shares: String(r?.cpu?.shares ?? 0),
    memory_limit_in_bytes: String(r?.memory?.limit ?? 0),
    oom_score_adj: String(spec.process?.oomScoreAdj ?? 0),
    cpuset_cpus: r?.cpu?.cpus ?? "",
    cpuset_mems: r?.cpu?.mems ?? "",
    hugepage_limits: (r?.hugepageLimits ?? []).map((h) => ({
      page_size: h.pageSize,
      limit: String(h.limit),
    })),
    unified: r?.unified ?? {},
    memory_swap_limit_in_bytes: String(r?.memory?.swap ?? 0),
  };
}
