import { expect } from "chai";
import { cgroupResourcesFromCri } from "../../../../agent/runtime/cgroups/cri-resources.js";
import { isBerthError } from "../../../../lib/errors.js";

function invalid(fn: () => unknown, field: string): void {
  try {
    fn();
  } catch (err) {
    expect(isBerthError(err, "InvalidArgument"), String(err)).to.equal(true);
    expect((err as { field?: string }).field).to.equal(field);
    expect((err as Error).message).to.contain(field);
    return;
  }
  expect.fail(`expected InvalidArgument for ${field}`);
}

describe("CRI LinuxContainerResources → cgroup resources", () => {
  it("converts int64 decimal strings, leaving 0 and empty fields unset", () => {
    expect(
      cgroupResourcesFromCri({
        cpu_period: "100000",
        cpu_quota: "50000",
        cpu_shares: "512",
        memory_limit_in_bytes: "67108864",
        memory_swap_limit_in_bytes: "134217728",
        oom_score_adj: "0",
        cpuset_cpus: "0-1",
        cpuset_mems: "",
        hugepage_limits: [{ page_size: "2MB", limit: "4194304" }],
        unified: {},
      }),
    ).to.deep.equal({
      cpuPeriodUs: 100000,
      cpuQuotaUs: 50000,
      cpuShares: 512,
      memoryLimitBytes: 67108864,
      memorySwapLimitBytes: 134217728,
      cpusetCpus: "0-1",
      hugepageLimits: [{ pageSize: "2MB", limitBytes: 4194304 }],
    });
    expect(
      cgroupResourcesFromCri({ cpu_period: "0", cpu_quota: "0", memory_limit_in_bytes: "0" }),
    ).to.deep.equal({});
    expect(cgroupResourcesFromCri(undefined)).to.deep.equal({});
  });

  it("accepts numbers and Long-like objects", () => {
    const long = { toString: () => "1024" } as unknown as string;
    expect(
      cgroupResourcesFromCri({ cpu_shares: long, memory_limit_in_bytes: 1 << 20 }),
    ).to.deep.equal({
      cpuShares: 1024,
      memoryLimitBytes: 1048576,
    });
  });

  it("refuses negative values, naming the field", () => {
    invalid(
      () => cgroupResourcesFromCri({ memory_limit_in_bytes: "-5" }),
      "linux.resources.memory_limit_in_bytes",
    );
    invalid(() => cgroupResourcesFromCri({ cpu_shares: "-2" }), "linux.resources.cpu_shares");
    invalid(() => cgroupResourcesFromCri({ cpu_period: "-1" }), "linux.resources.cpu_period");
    invalid(() => cgroupResourcesFromCri({ cpu_quota: "-2" }), "linux.resources.cpu_quota");
    invalid(
      () => cgroupResourcesFromCri({ hugepage_limits: [{ page_size: "2MB", limit: "-1" }] }),
      "linux.resources.hugepage_limits[0].limit",
    );
  });

  it("keeps -1 as unlimited for the quota and the swap limit", () => {
    expect(
      cgroupResourcesFromCri({ cpu_quota: "-1", memory_swap_limit_in_bytes: "-1" }),
    ).to.deep.equal({
      cpuQuotaUs: -1,
      memorySwapLimitBytes: -1,
    });
  });

  it("checks ranges and relations the kernel would refuse later", () => {
    invalid(() => cgroupResourcesFromCri({ cpu_shares: "1" }), "linux.resources.cpu_shares");
    invalid(() => cgroupResourcesFromCri({ cpu_shares: "300000" }), "linux.resources.cpu_shares");
    invalid(() => cgroupResourcesFromCri({ cpu_period: "999" }), "linux.resources.cpu_period");
    invalid(() => cgroupResourcesFromCri({ cpu_quota: "500" }), "linux.resources.cpu_quota");
    invalid(
      () =>
        cgroupResourcesFromCri({ memory_limit_in_bytes: "200", memory_swap_limit_in_bytes: "100" }),
      "linux.resources.memory_swap_limit_in_bytes",
    );
    invalid(
      () => cgroupResourcesFromCri({ memory_swap_limit_in_bytes: "100" }),
      "linux.resources.memory_swap_limit_in_bytes",
    );
    invalid(
      () => cgroupResourcesFromCri({ memory_limit_in_bytes: "9223372036854775807" }),
      "linux.resources.memory_limit_in_bytes",
    );
  });

  it("refuses malformed cpu lists, page sizes, unified keys and non-integers", () => {
    invalid(() => cgroupResourcesFromCri({ cpuset_cpus: "0-a" }), "linux.resources.cpuset_cpus");
    invalid(() => cgroupResourcesFromCri({ cpuset_mems: "3-1" }), "linux.resources.cpuset_mems");
    invalid(
      () => cgroupResourcesFromCri({ hugepage_limits: [{ page_size: "2M", limit: "1" }] }),
      "linux.resources.hugepage_limits[0].page_size",
    );
    invalid(
      () => cgroupResourcesFromCri({ unified: { "../memory.max": "1" } }),
      "linux.resources.unified[../memory.max]",
    );
    invalid(() => cgroupResourcesFromCri({ cpu_shares: "1.5" }), "linux.resources.cpu_shares");
  });

  it("names fields under a caller's prefix", () => {
    invalid(() => cgroupResourcesFromCri({ cpu_shares: "-1" }, "linux"), "linux.cpu_shares");
  });

  it("passes unified entries through", () => {
    expect(cgroupResourcesFromCri({ unified: { "memory.high": "1000000" } })).to.deep.equal({
      unified: { "memory.high": "1000000" },
    });
  });
});
