import { expect } from "chai";
import { CgroupV2Manager } from "../../../../agent/runtime/cgroups/v2-manager.js";
import type { V2Layout } from "../../../../agent/runtime/cgroups/v2-manager.js";
import { isBerthError } from "../../../../lib/errors.js";
import type { FakeHost } from "./fake-hosts.js";
import { fakeV2Host } from "./fake-hosts.js";

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.fail("expected a rejection"),
    (err: Error) => err,
  );
}

describe("cgroup v2 manager (fake unified cgroupfs)", () => {
  let host: FakeHost;
  let signals: string[];
  let cg: CgroupV2Manager;

  beforeEach(async () => {
    host = await fakeV2Host();
    signals = [];
    cg = new CgroupV2Manager(host.layout as V2Layout, {
      fs: host.fs,
      kill: (pid, signal) => void signals.push(`${pid}:${signal}:${host.fs.writes.at(-1)}`),
      sleep: async () => undefined,
      removeTimeoutMs: 20,
    });
  });
  afterEach(() => host.remove());

  it("creates the path, enabling Berth's controllers in each parent's subtree_control", async () => {
    await cg.create("/berth/pod/ctr");
    expect(await host.fs.get("cgroup.subtree_control")).to.equal(
      "cpuset cpu io memory hugetlb pids",
    );
    expect(await host.fs.get("berth/cgroup.subtree_control")).to.equal(
      "cpuset cpu io memory hugetlb pids",
    );
    expect(await host.fs.get("berth/pod/cgroup.subtree_control")).to.equal(
      "cpuset cpu io memory hugetlb pids",
    );
    expect(await host.fs.get("berth/pod/ctr/cgroup.subtree_control")).to.equal("");
    expect(await host.fs.exists(`${host.root}/berth/pod/ctr/memory.max`)).to.equal(true);
    const before = host.fs.writes.length;
    await cg.create("/berth/pod/ctr");
    expect(host.fs.writes.length, "nothing enabled twice").to.equal(before);
  });

  it("converts limits to v2 files: weight, cpu.max, memory.max, swap.max, pids.max, hugetlb", async () => {
    await cg.create("/berth/pod");
    await cg.apply("/berth/pod", {
      cpuShares: 1024,
      cpuQuotaUs: 50000,
      cpuPeriodUs: 100000,
      cpusetCpus: "0-1",
      cpusetMems: "0",
      memoryLimitBytes: 64 << 20,
      memorySwapLimitBytes: 96 << 20,
      pidsLimit: 100,
      hugepageLimits: [{ pageSize: "2MB", limitBytes: 2 << 20 }],
    });
    expect(await host.fs.get("berth/pod/cpu.weight")).to.equal("39");
    expect(await host.fs.get("berth/pod/cpu.max")).to.equal("50000 100000");
    expect(await host.fs.get("berth/pod/cpuset.cpus")).to.equal("0-1");
    expect(await host.fs.get("berth/pod/memory.max")).to.equal(String(64 << 20));
    expect(await host.fs.get("berth/pod/memory.swap.max")).to.equal(String(32 << 20));
    expect(await host.fs.get("berth/pod/pids.max")).to.equal("100");
    expect(await host.fs.get("berth/pod/hugetlb.2MB.max")).to.equal(String(2 << 20));
  });

  it("keeps the quota when only the period changes, and lifts limits with -1", async () => {
    await cg.create("/berth/pod");
    await cg.apply("/berth/pod", { cpuQuotaUs: 20000 });
    await cg.apply("/berth/pod", { cpuPeriodUs: 50000 });
    expect(await host.fs.get("berth/pod/cpu.max")).to.equal("20000 50000");
    await cg.apply("/berth/pod", { cpuQuotaUs: -1, memoryLimitBytes: -1, pidsLimit: -1 });
    expect(await host.fs.get("berth/pod/cpu.max")).to.equal("max 50000");
    expect(await host.fs.get("berth/pod/memory.max")).to.equal("max");
    expect(await host.fs.get("berth/pod/memory.swap.max")).to.equal("max");
    expect(await host.fs.get("berth/pod/pids.max")).to.equal("max");
  });

  it("writes raw unified entries last, and refuses file names that climb out", async () => {
    await cg.create("/berth/pod");
    await cg.apply("/berth/pod", { memoryLimitBytes: 1000, unified: { "memory.max": "2000" } });
    expect(await host.fs.get("berth/pod/memory.max")).to.equal("2000");
    const err = await rejection(cg.apply("/berth/pod", { unified: { "../../cgroup.procs": "1" } }));
    expect(isBerthError(err, "InvalidArgument")).to.equal(true);
  });

  it("names the file and value the kernel refused", async () => {
    await cg.create("/berth/pod");
    host.fs.failNextWrite("berth/pod/cpu.max", "EINVAL");
    const err = await rejection(cg.apply("/berth/pod", { cpuQuotaUs: 10 }));
    expect(err.message).to.contain(
      `cannot write "10 100000" to ${host.root}/berth/pod/cpu.max: EINVAL`,
    );
  });

  it("reads v2 stats: usage_usec in ns, working set, anon/file, faults, memory.events oom_kill", async () => {
    await cg.create("/berth/pod");
    await host.fs.set(
      "berth/pod/cpu.stat",
      "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 4\nnr_throttled 1\nthrottled_usec 20\n",
    );
    await host.fs.set("berth/pod/memory.current", "9000");
    await host.fs.set(
      "berth/pod/memory.stat",
      "anon 5000\nfile 4000\ninactive_file 2500\npgfault 12\npgmajfault 1\n",
    );
    await host.fs.set("berth/pod/memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
    await host.fs.set("berth/pod/memory.max", "65536");
    await host.fs.set("berth/pod/pids.current", "3");
    const stats = await cg.stats("/berth/pod");
    expect(stats.cpu).to.deep.equal({
      usageNs: 1_500_000,
      userNs: 1_000_000,
      systemNs: 500_000,
      periods: 4,
      throttledPeriods: 1,
      throttledNs: 20_000,
    });
    expect(stats.memory).to.deep.equal({
      usageBytes: 9000,
      workingSetBytes: 6500,
      rssBytes: 5000,
      cacheBytes: 4000,
      swapBytes: 0,
      pageFaults: 12,
      majorPageFaults: 1,
      limitBytes: 65536,
      oomKills: 1,
    });
    expect(stats.pids).to.deep.equal({ current: 3, limit: undefined });
    expect(await cg.oomKills("/berth/pod")).to.equal(1);
  });

  it("kills with cgroup.kill for SIGKILL, and freezes around other signals", async () => {
    await cg.create("/berth/pod/ctr");
    await cg.addProcess("/berth/pod/ctr", 77);
    expect(await cg.killAll("/berth/pod/ctr", "SIGTERM")).to.equal(1);
    expect(signals).to.deep.equal(["77:SIGTERM:berth/pod/ctr/cgroup.freeze=1"]);
    expect(host.fs.writes.at(-1)).to.equal("berth/pod/ctr/cgroup.freeze=0");
    expect(await cg.killAll("/berth/pod")).to.equal(1);
    expect(host.fs.writes.at(-1)).to.equal("berth/pod/cgroup.kill=1");
  });

  it("removes leaf first, is idempotent, and reports processes left behind", async () => {
    await cg.create("/berth/pod/ctr");
    expect(await cg.children("/berth")).to.deep.equal(["/berth/pod"]);
    expect(await cg.pids("/berth")).to.deep.equal([]);
    await cg.remove("/berth/pod");
    expect(await cg.exists("/berth/pod")).to.equal(false);
    await cg.remove("/berth/pod");
    await cg.create("/berth/pod/ctr");
    await cg.addProcess("/berth/pod/ctr", 5);
    const err = await rejection(cg.remove("/berth/pod"));
    expect(err.message).to.match(/processes 5 are still in it/);
  });
});
