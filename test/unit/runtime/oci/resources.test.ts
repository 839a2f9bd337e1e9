import { expect } from "chai";
import { linuxResources, oomScoreAdj } from "../../../../agent/runtime/oci/resources.js";
import { resources, testHost } from "./spec-fixtures.js";

describe("linux resources", () => {
  it("is empty without CRI resources or with all zero", () => {
    expect(linuxResources(null, testHost)).to.deep.equal({});
    expect(linuxResources(resources(), testHost)).to.deep.equal({});
  });

  it("maps CPU shares, quota, period and cpusets", () => {
    const r = resources({
      cpu_shares: "512",
      cpu_quota: "50000",
      cpu_period: "100000",
      cpuset_cpus: "0-1, 3",
      cpuset_mems: "0",
    });
    expect(linuxResources(r, testHost).cpu).to.deep.equal({
      shares: 512,
      quota: 50000,
      period: 100000,
      cpus: "0-1,3",
      mems: "0",
    });
    expect(linuxResources(resources({ cpu_quota: "-1" }), testHost).cpu).to.deep.equal({
      quota: -1,
    });
  });

  it("caps memory+swap at the memory limit when no swap limit is given (no swapping)", () => {
    expect(
      linuxResources(resources({ memory_limit_in_bytes: "15728640" }), testHost).memory,
    ).to.deep.equal({
      limit: 15728640,
      swap: 15728640,
    });
  });

  it("takes memory_swap_limit_in_bytes as memory+swap (critest OOM: both 15 MiB)", () => {
    const r = resources({
      memory_limit_in_bytes: "15728640",
      memory_swap_limit_in_bytes: "31457280",
    });
    expect(linuxResources(r, testHost).memory).to.deep.equal({ limit: 15728640, swap: 31457280 });
    expect(
      linuxResources(
        resources({ memory_limit_in_bytes: "1048576", memory_swap_limit_in_bytes: "-1" }),
        testHost,
      ).memory,
    ).to.deep.equal({ limit: 1048576, swap: -1 });
  });

  it("sets no swap where swap is not accounted", () => {
    const r = resources({
      memory_limit_in_bytes: "1048576",
      memory_swap_limit_in_bytes: "2097152",
    });
    expect(linuxResources(r, { ...testHost, swapAccounting: false }).memory).to.deep.equal({
      limit: 1048576,
    });
  });

  it("refuses a swap limit below the memory limit and negative values", () => {
    expect(() =>
      linuxResources(
        resources({ memory_limit_in_bytes: "2000000", memory_swap_limit_in_bytes: "1000000" }),
        testHost,
      ),
    ).to.throw(/memory_swap_limit_in_bytes: 1000000 \(memory plus swap\) is below/);
    expect(() => linuxResources(resources({ cpu_shares: "-2" }), testHost)).to.throw(
      /config\.linux\.resources\.cpu_shares: -2 is negative/,
    );
    expect(() => linuxResources(resources({ cpu_quota: "-5" }), testHost)).to.throw(/cpu_quota/);
    expect(() => linuxResources(resources({ memory_limit_in_bytes: "lots" }), testHost)).to.throw(
      /not an integer/,
    );
    expect(() =>
      linuxResources(resources({ memory_limit_in_bytes: "9223372036854775807" }), testHost),
    ).to.throw(/out of range/);
    expect(() => linuxResources(resources({ cpuset_cpus: "0-a" }), testHost)).to.throw(
      /cpuset_cpus/,
    );
  });

  it("sets hugepage limits only where the hugetlb controller exists", () => {
    const r = resources({ hugepage_limits: [{ page_size: "2MB", limit: "4194304" }] });
    expect(linuxResources(r, testHost).hugepageLimits).to.equal(undefined);
    expect(linuxResources(r, { ...testHost, hugetlb: true }).hugepageLimits).to.deep.equal([
      { pageSize: "2MB", limit: 4194304 },
    ]);
    expect(() =>
      linuxResources(resources({ hugepage_limits: [{ page_size: "2M", limit: "1" }] }), testHost),
    ).to.throw(/hugepage_limits\[0\]\.page_size/);
  });

  it("passes unified on cgroup v2 and refuses it on v1", () => {
    const r = resources({ unified: { "memory.high": "1000000", "pids.max": "64" } });
    expect(linuxResources(r, { ...testHost, cgroupVersion: 2 }).unified).to.deep.equal({
      "memory.high": "1000000",
      "pids.max": "64",
    });
    expect(() => linuxResources(r, testHost)).to.throw(
      /unified: cgroup v2 settings on a cgroup v1 node/,
    );
    expect(() =>
      linuxResources(resources({ unified: { "../x": "1" } }), { ...testHost, cgroupVersion: 2 }),
    ).to.throw(/not a cgroup v2 file/);
  });

  it("writes oom_score_adj as asked, a negative one and none as 0", () => {
    expect(oomScoreAdj(null)).to.equal(0);
    expect(oomScoreAdj(resources({ oom_score_adj: "1000" }))).to.equal(1000);
    expect(oomScoreAdj(resources({ oom_score_adj: "0" }))).to.equal(0);
    expect(oomScoreAdj(resources({ oom_score_adj: "" }))).to.equal(0);
    expect(oomScoreAdj(resources({ oom_score_adj: "-997" }))).to.equal(0);
    expect(oomScoreAdj(resources({ oom_score_adj: "-1000" }))).to.equal(0);
    expect(() => oomScoreAdj(resources({ oom_score_adj: "-1001" }))).to.throw(
      /oom_score_adj: -1001 is outside/,
    );
    expect(() => oomScoreAdj(resources({ oom_score_adj: "1001" }))).to.throw(
      /oom_score_adj: 1001 is outside/,
    );
  });
});
