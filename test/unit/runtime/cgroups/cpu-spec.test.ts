import { expect } from "chai";
import { pollingCgroupManager } from "../../../../agent/runtime/cgroups/create-cgroup-manager.js";
import { CgroupV1Manager, type V1Layout } from "../../../../agent/runtime/cgroups/v1-manager.js";
import { CgroupV2Manager, type V2Layout } from "../../../../agent/runtime/cgroups/v2-manager.js";
import { fakeV1Host, fakeV2Host, type FakeHost } from "./fake-hosts.js";

describe("cgroup CPU spec and own process count (fake cgroupfs)", () => {
  let host: FakeHost;
  afterEach(() => host.remove());

  it("v1: reads period, quota and shares; no quota (-1) is absent", async () => {
    host = await fakeV1Host();
    const cg = new CgroupV1Manager(host.layout as V1Layout, { fs: host.fs });
    await cg.create("/berth/pod/ctr");
    expect(await cg.cpuSpec("/berth/pod/ctr")).to.deep.equal({
      periodUs: 100000,
      quotaUs: undefined,
      shares: 1024,
    });
    await cg.apply("/berth/pod/ctr", { cpuShares: 512, cpuQuotaUs: 25000, cpuPeriodUs: 50000 });
    expect(await cg.cpuSpec("/berth/pod/ctr")).to.deep.equal({
      periodUs: 50000,
      quotaUs: 25000,
      shares: 512,
    });
  });

  it("v2: reads cpu.max and maps cpu.weight back to shares", async () => {
    host = await fakeV2Host();
    const cg = new CgroupV2Manager(host.layout as V2Layout, { fs: host.fs });
    await cg.create("/berth/pod/ctr");
    expect(await cg.cpuSpec("/berth/pod/ctr")).to.deep.equal({
      periodUs: 100000,
      quotaUs: undefined,
      shares: 2 + Math.floor((99 * 262142) / 9999),
    });
    await cg.apply("/berth/pod/ctr", { cpuShares: 1024, cpuQuotaUs: 50000, cpuPeriodUs: 100000 });
    // 1024 shares are weight 39, which maps back to 998 (runc's and cAdvisor's formulas).
    expect(await host.fs.get("berth/pod/ctr/cpu.weight")).to.equal("39");
    expect(await cg.cpuSpec("/berth/pod/ctr")).to.deep.equal({
      periodUs: 100000,
      quotaUs: 50000,
      shares: 998,
    });
  });

  it("counts the processes of the cgroup itself, not of its children", async () => {
    for (const make of [fakeV1Host, fakeV2Host]) {
      host = await make();
      const cg =
        host.layout.version === 1
          ? new CgroupV1Manager(host.layout, { fs: host.fs })
          : new CgroupV2Manager(host.layout, { fs: host.fs });
      await cg.create("/berth/pod/ctr");
      const cpuDir = host.layout.version === 1 ? "cpu/" : "";
      await host.fs.set(`${cpuDir}berth/pod/ctr/cgroup.procs`, "10\n11\n12\n");
      await host.fs.set(`${cpuDir}berth/pod/cgroup.procs`, "9\n");
      expect(await cg.ownProcessCount("/berth/pod/ctr"), `v${host.layout.version}`).to.equal(3);
      expect(await cg.ownProcessCount("/berth/pod"), `v${host.layout.version}`).to.equal(1);
      expect(await cg.ownProcessCount("/berth/absent"), `v${host.layout.version}`).to.equal(
        undefined,
      );
      expect(await cg.cpuSpec("/berth/absent")).to.deep.equal({
        periodUs: undefined,
        quotaUs: undefined,
        shares: undefined,
      });
      host.remove();
    }
    host = await fakeV2Host(); // for afterEach
  });
});

describe("polling cgroup manager (synchronous reads)", () => {
  it("reads the same stats, spec and processes as the manager it mirrors, v1 and v2", async () => {
    for (const make of [fakeV1Host, fakeV2Host]) {
      const host = await make();
      try {
        const cg =
          host.layout.version === 1
            ? new CgroupV1Manager(host.layout, { fs: host.fs })
            : new CgroupV2Manager(host.layout, { fs: host.fs });
        await cg.create("/berth/pod/ctr");
        await cg.apply("/berth/pod/ctr", { memoryLimitBytes: 1 << 20, cpuQuotaUs: 20000 });
        const polling = pollingCgroupManager(host.layout);
        expect(polling.version).to.equal(host.layout.version);
        for (const path of ["/", "/berth/pod/ctr"]) {
          expect(await polling.stats(path), path).to.deep.equal(await cg.stats(path));
          expect(await polling.cpuSpec(path), path).to.deep.equal(await cg.cpuSpec(path));
          expect(await polling.ownProcessCount(path)).to.equal(await cg.ownProcessCount(path));
        }
        expect((await polling.stats("/berth/pod/ctr")).memory.limitBytes).to.equal(1 << 20);
        await polling.stats("/berth/absent").then(
          () => expect.fail("expected NotFound"),
          (err: Error) => expect(err.message).to.match(/does not exist/),
        );
      } finally {
        host.remove();
      }
    }
  });
});
