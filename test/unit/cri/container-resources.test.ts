import { expect } from "chai";
import { criResourcesFromSpec } from "../../../agent/cri/runtime/container-resources.js";
import type { OciSpec } from "../../../agent/runtime/oci/oci-spec.js";

describe("ContainerStatus resources from the OCI spec", () => {
  it("reports the spec's limits as CRI LinuxContainerResources", () => {
    const spec = {
      process: { oomScoreAdj: 500 },
      linux: {
        resources: {
          devices: [],
          cpu: { shares: 256, quota: 20_000, period: 100_000, cpus: "0-1", mems: "0" },
          memory: { limit: 1 << 30, swap: 1 << 30 },
          hugepageLimits: [{ pageSize: "2MB", limit: 4 << 20 }],
        },
      },
    } as unknown as OciSpec;
    expect(criResourcesFromSpec(spec)).to.deep.equal({
      cpu_period: "100000",
      cpu_quota: "20000",
      cpu_shares: "256",
      memory_limit_in_bytes: String(1 << 30),
      oom_score_adj: "500",
      cpuset_cpus: "0-1",
      cpuset_mems: "0",
      hugepage_limits: [{ page_size: "2MB", limit: String(4 << 20) }],
      unified: {},
      memory_swap_limit_in_bytes: String(1 << 30),
    });
  });

  it("reports unset limits as 0 and empty, as the CRI means unset", () => {
    const r = criResourcesFromSpec({
      process: {},
      linux: { resources: { devices: [] } },
    } as unknown as OciSpec);
    expect(r.cpu_quota).to.equal("0");
    expect(r.memory_limit_in_bytes).to.equal("0");
    expect(r.cpuset_cpus).to.equal("");
  });
});
