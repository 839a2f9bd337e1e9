import { expect } from "chai";
import { CgroupV1Manager } from "../../../../agent/runtime/cgroups/v1-manager.js";
import type { V1Layout } from "../../../../agent/runtime/cgroups/v1-manager.js";
import { isBerthError } from "../../../../lib/errors.js";
import type { FakeHost } from "./fake-hosts.js";
import { fakeV1Host } from "./fake-hosts.js";

const hierarchies = [
  "cpu",
  "cpuacct",
  "cpuset",
  "memory",
  "devices",
  "freezer",
  "blkio",
  "pids",
  "systemd",
  "unified",
];

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.fail("expected a rejection"),
    (err: Error) => err,
  );
}

describe("cgroup v1 manager (fake cgroupfs: separate cpu and cpuacct, name=systemd, hybrid unified)", () => {
  let host: FakeHost;
  let signals: string[];
  let alive: Set<number>;
  let cg: CgroupV1Manager;

  beforeEach(async () => {
    host = await fakeV1Host();
    signals = [];
    alive = new Set();
    cg = new CgroupV1Manager(host.layout as V1Layout, {
      fs: host.fs,
      kill: (pid, signal) => {
        if (!alive.has(pid)) throw Object.assign(new Error("ESRCH"), { code: "ESRCH" });
        signals.push(`${pid}:${signal}:${host.fs.writes.at(-1)}`);
      },
      sleep: async () => undefined,
      removeTimeoutMs: 20,
    });
  });
  afterEach(() => host.remove());

  it("creates the cgroup and its parents in every hierarchy, name=systemd and unified included", async () => {
    await cg.create("/berth/pod/ctr");
    for (const h of hierarchies)
      expect(await host.fs.exists(`${host.root}/${h}/berth/pod/ctr`), h).to.equal(true);
    expect(await cg.exists("/berth/pod")).to.equal(true);
    expect(await cg.exists("/berth/other")).to.equal(false);
    await cg.create("/berth/pod/ctr"); // idempotent
  });

  it("initialises cpuset.cpus and cpuset.mems from the parent at every new level", async () => {
    await cg.create("/berth/pod/ctr");
    for (const level of ["berth", "berth/pod", "berth/pod/ctr"]) {
      expect(await host.fs.get(`cpuset/${level}/cpuset.cpus`)).to.equal("0-3");
      expect(await host.fs.get(`cpuset/${level}/cpuset.mems`)).to.equal("0");
    }
    await cg.apply("/berth/pod", { cpusetCpus: "1" });
    await cg.create("/berth/pod/ctr2");
    expect(await host.fs.get("cpuset/berth/pod/ctr2/cpuset.cpus")).to.equal("1");
  });

  it("writes every limit to its own hierarchy's files", async () => {
    await cg.create("/berth/pod");
    await cg.apply("/berth/pod", {
      cpuShares: 512,
      cpuQuotaUs: 50000,
      cpuPeriodUs: 100000,
      cpusetCpus: "0-1",
      cpusetMems: "0",
      memoryLimitBytes: 64 << 20,
      memorySwapLimitBytes: 128 << 20,
      pidsLimit: 100,
    });
    expect(await host.fs.get("cpu/berth/pod/cpu.shares")).to.equal("512");
    expect(await host.fs.get("cpu/berth/pod/cpu.cfs_quota_us")).to.equal("50000");
    expect(await host.fs.get("cpu/berth/pod/cpu.cfs_period_us")).to.equal("100000");
    expect(await host.fs.get("cpuset/berth/pod/cpuset.cpus")).to.equal("0-1");
    expect(await host.fs.get("memory/berth/pod/memory.limit_in_bytes")).to.equal(String(64 << 20));
    expect(await host.fs.get("memory/berth/pod/memory.memsw.limit_in_bytes")).to.equal(
      String(128 << 20),
    );
    expect(await host.fs.get("pids/berth/pod/pids.max")).to.equal("100");
    await cg.apply("/berth/pod", { pidsLimit: -1, cpuQuotaUs: -1 });
    expect(await host.fs.get("pids/berth/pod/pids.max")).to.equal("max");
    expect(await host.fs.get("cpu/berth/pod/cpu.cfs_quota_us")).to.equal("-1");
  });

  it("raises memsw before memory and lowers memory before memsw", async () => {
    await cg.create("/berth/pod");
    const order = () =>
      host.fs.writes.filter((w) => w.includes("limit_in_bytes")).map((w) => w.split("/").at(-1));
    await cg.apply("/berth/pod", { memoryLimitBytes: 100 << 20, memorySwapLimitBytes: 100 << 20 });
    host.fs.writes.length = 0;
    await cg.apply("/berth/pod", { memoryLimitBytes: 200 << 20, memorySwapLimitBytes: 300 << 20 });
    expect(order()).to.deep.equal([
      `memory.memsw.limit_in_bytes=${300 << 20}`,
      `memory.limit_in_bytes=${200 << 20}`,
    ]);
    host.fs.writes.length = 0;
    await cg.apply("/berth/pod", { memoryLimitBytes: 50 << 20, memorySwapLimitBytes: 50 << 20 });
    expect(order()).to.deep.equal([
      `memory.limit_in_bytes=${50 << 20}`,
      `memory.memsw.limit_in_bytes=${50 << 20}`,
    ]);
    host.fs.writes.length = 0;
    await cg.apply("/berth/pod", { memoryLimitBytes: -1 });
    expect(order()).to.deep.equal(["memory.memsw.limit_in_bytes=-1", "memory.limit_in_bytes=-1"]);
  });

  it("explains a memory limit the kernel refuses above memsw", async () => {
    await cg.create("/berth/pod");
    await cg.apply("/berth/pod", { memoryLimitBytes: 100, memorySwapLimitBytes: 100 });
    const err = await rejection(cg.apply("/berth/pod", { memoryLimitBytes: 200 }));
    expect(isBerthError(err, "InvalidArgument")).to.equal(true);
    expect(err.message)
      .to.contain(`"200"`)
      .and.contain("memory.limit_in_bytes")
      .and.contain("memsw");
  });

  it("names the file and value when the kernel refuses a write", async () => {
    await cg.create("/berth/pod");
    host.fs.failNextWrite("cpuset/berth/pod/cpuset.cpus", "EINVAL");
    const err = await rejection(cg.apply("/berth/pod", { cpusetCpus: "7" }));
    expect(err.message).to.equal(
      `cannot write "7" to ${host.root}/cpuset/berth/pod/cpuset.cpus: EINVAL (the kernel rejected the value)`,
    );
    host.fs.failNextWrite("memory/berth/pod/memory.limit_in_bytes", "EBUSY");
    const busy = await rejection(cg.apply("/berth/pod", { memoryLimitBytes: 1 }));
    expect(isBerthError(busy, "FailedPrecondition")).to.equal(true);
    expect(busy.message).to.contain("could not be reclaimed");
  });

  it("retries a shorter period after the quota when the kernel refuses it first", async () => {
    await cg.create("/berth/pod");
    host.fs.failNextWrite("cpu/berth/pod/cpu.cfs_period_us", "EINVAL");
    await cg.apply("/berth/pod", { cpuQuotaUs: 5000, cpuPeriodUs: 10000 });
    expect(host.fs.writes.filter((w) => w.startsWith("cpu/"))).to.deep.equal([
      "cpu/berth/pod/cpu.cfs_quota_us=5000",
      "cpu/berth/pod/cpu.cfs_period_us=10000",
    ]);
  });

  it("sets huge page limits through the unified hugetlb when v1 has none, enabling it on the way", async () => {
    await cg.create("/berth/pod/ctr");
    await cg.apply("/berth/pod/ctr", {
      hugepageLimits: [{ pageSize: "2MB", limitBytes: 4 << 20 }],
    });
    expect(await host.fs.get("unified/cgroup.subtree_control")).to.equal("hugetlb");
    expect(await host.fs.get("unified/berth/pod/cgroup.subtree_control")).to.equal("hugetlb");
    expect(await host.fs.get("unified/berth/pod/ctr/hugetlb.2MB.max")).to.equal(String(4 << 20));
  });

  it("refuses cgroup v2 unified settings", async () => {
    await cg.create("/berth/pod");
    const err = await rejection(cg.apply("/berth/pod", { unified: { "memory.high": "1" } }));
    expect(isBerthError(err, "FailedPrecondition")).to.equal(true);
    expect(err.message).to.match(/memory\.high.*cgroup v1/);
  });

  it("fails with NotFound naming the file when the cgroup does not exist", async () => {
    const err = await rejection(cg.apply("/berth/missing", { pidsLimit: 5 }));
    expect(isBerthError(err, "NotFound")).to.equal(true);
    expect(err.message).to.contain("pids/berth/missing/pids.max");
  });

  it("reads stats: cumulative cpu, throttling, working set as usage − inactive_file, OOM kills, pids", async () => {
    await cg.create("/berth/pod");
    await host.fs.set("cpuacct/berth/pod/cpuacct.usage", "123456789");
    await host.fs.set(
      "cpu/berth/pod/cpu.stat",
      "nr_periods 10\nnr_throttled 3\nthrottled_time 5000\n",
    );
    await host.fs.set("memory/berth/pod/memory.usage_in_bytes", "10000");
    await host.fs.set("memory/berth/pod/memory.memsw.usage_in_bytes", "10500");
    await host.fs.set(
      "memory/berth/pod/memory.stat",
      "cache 1\nrss 2\ntotal_cache 4000\ntotal_rss 6000\ntotal_inactive_file 3000\ntotal_pgfault 77\ntotal_pgmajfault 7\n",
    );
    await host.fs.set(
      "memory/berth/pod/memory.oom_control",
      "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n",
    );
    await host.fs.set("pids/berth/pod/pids.current", "4");
    await cg.apply("/berth/pod", { memoryLimitBytes: 1 << 20 });
    const stats = await cg.stats("/berth/pod");
    expect(stats.cpu).to.deep.include({
      usageNs: 123456789,
      periods: 10,
      throttledPeriods: 3,
      throttledNs: 5000,
    });
    expect(stats.memory).to.deep.equal({
      usageBytes: 10000,
      workingSetBytes: 7000,
      rssBytes: 6000,
      cacheBytes: 4000,
      swapBytes: 500,
      pageFaults: 77,
      majorPageFaults: 7,
      limitBytes: 1 << 20,
      oomKills: 2,
    });
    expect(stats.pids).to.deep.equal({ current: 4, limit: undefined });
    expect(await cg.oomKills("/berth/pod")).to.equal(2);
  });

  it("leaves out what it cannot read instead of reporting zero", async () => {
    await cg.create("/berth/pod");
    await host.fs.set("memory/berth/pod/memory.stat", "garbage\n");
    await host.fs.set("cpuacct/berth/pod/cpuacct.usage", "not a number");
    const stats = await cg.stats("/berth/pod");
    expect(stats.memory.workingSetBytes).to.equal(undefined);
    expect(stats.memory.usageBytes).to.equal(0);
    expect(stats.memory.limitBytes, "unlimited").to.equal(undefined);
    expect(stats.cpu.usageNs).to.equal(undefined);
    expect(isBerthError(await rejection(cg.stats("/berth/none")), "NotFound")).to.equal(true);
  });

  it("moves a process into every hierarchy and lists processes recursively", async () => {
    await cg.create("/berth/pod/a");
    await cg.create("/berth/pod/b");
    await cg.addProcess("/berth/pod/a", 101);
    await cg.addProcess("/berth/pod/b", 202);
    for (const h of hierarchies)
      expect(await host.fs.get(`${h}/berth/pod/a/cgroup.procs`), h).to.equal("101");
    expect(await cg.pids("/berth/pod")).to.deep.equal([101, 202]);
    expect(await cg.pids("/berth/pod/b")).to.deep.equal([202]);
  });

  it("signals every process while the tree is frozen, then thaws it", async () => {
    await cg.create("/berth/pod/a");
    await cg.addProcess("/berth/pod/a", 101);
    await host.fs.set("pids/berth/pod/a/cgroup.procs", "101\n102\n103");
    alive = new Set([101, 102]); // 103 exits before it is signalled
    expect(await cg.killAll("/berth/pod", "SIGKILL")).to.equal(2);
    expect(signals).to.deep.equal([
      "101:SIGKILL:freezer/berth/pod/freezer.state=FROZEN",
      "102:SIGKILL:freezer/berth/pod/freezer.state=FROZEN",
    ]);
    expect(host.fs.writes.at(-1)).to.equal("freezer/berth/pod/freezer.state=THAWED");
    expect(await cg.killAll("/berth/absent")).to.equal(0);
  });

  it("removes the tree leaf first in every hierarchy and ignores what is already gone", async () => {
    await cg.create("/berth/pod/ctr");
    await host.fs.rmdir(`${host.root}/systemd/berth/pod/ctr`); // as runc delete leaves it
    await cg.remove("/berth/pod");
    for (const h of hierarchies)
      expect(await host.fs.exists(`${host.root}/${h}/berth/pod`), h).to.equal(false);
    expect(await cg.children("/berth")).to.deep.equal([]);
    await cg.remove("/berth/pod");
  });

  it("fails clearly, naming the processes, when some remain after the retries", async () => {
    await cg.create("/berth/pod/ctr");
    await cg.addProcess("/berth/pod/ctr", 4242);
    const err = await rejection(cg.remove("/berth/pod"));
    expect(isBerthError(err, "FailedPrecondition")).to.equal(true);
    expect(err.message).to.match(
      /cannot remove cgroup \/berth\/pod: processes 4242 are still in it/,
    );
  });

  it("retries EBUSY while the last processes exit", async () => {
    let attempts = 0;
    const patient = new CgroupV1Manager(host.layout as V1Layout, {
      fs: host.fs,
      removeTimeoutMs: 5000,
      sleep: async () => {
        if (++attempts === 2) await host.fs.set("memory/berth/pod/ctr/cgroup.procs", "");
      },
    });
    await patient.create("/berth/pod/ctr");
    await patient.addProcess("/berth/pod/ctr", 31);
    await host.fs.set("memory/berth/pod/ctr/cgroup.procs", "31");
    for (const h of hierarchies.filter((x) => x !== "memory"))
      await host.fs.set(`${h}/berth/pod/ctr/cgroup.procs`, "");
    await patient.remove("/berth/pod");
    expect(attempts).to.equal(2);
    expect(await patient.exists("/berth/pod")).to.equal(false);
  });

  it("explains why a process cannot join a cpuset cgroup that create did not make", async () => {
    await cg.create("/raw");
    await host.fs.set("cpuset/raw/cpuset.cpus", ""); // as a plain mkdir leaves it
    const err = await rejection(cg.addProcess("/raw", 1));
    expect(err.message).to.contain("cpuset.cpus").and.contain("ENOSPC");
  });

  it("lists child cgroups present in any hierarchy, for recovery and leak checks", async () => {
    await cg.create("/berth/p1");
    await cg.create("/berth/p2/c");
    await host.fs.mkdir(`${host.root}/systemd/berth/only-here`);
    expect(await cg.children("/berth")).to.deep.equal([
      "/berth/only-here",
      "/berth/p1",
      "/berth/p2",
    ]);
    expect(await cg.children("/nothing")).to.deep.equal([]);
  });

  it("refuses relative and climbing paths, and the root", async () => {
    expect(isBerthError(await rejection(cg.create("berth/pod")), "InvalidArgument")).to.equal(true);
    expect(isBerthError(await rejection(cg.remove("/berth/../..")), "InvalidArgument")).to.equal(
      true,
    );
    expect(isBerthError(await rejection(cg.remove("/")), "InvalidArgument")).to.equal(true);
  });
});
