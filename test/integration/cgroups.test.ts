import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promises as fs, readdirSync, readFileSync, rmdirSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { CgroupManager } from "../../agent/runtime/cgroups/cgroup-manager.js";
import { createCgroupManager } from "../../agent/runtime/cgroups/create-cgroup-manager.js";
import { parseCgroupMounts } from "../../agent/runtime/cgroups/mountinfo.js";
import { isBerthError } from "../../lib/errors.js";
import { requireIntegration } from "../support/prerequisites.js";
import { waitFor } from "../support/wait-for.js";

const base = `/berth-test-cgroups-${randomBytes(4).toString("hex")}`;
const mountPoints = () =>
  parseCgroupMounts(readFileSync("/proc/self/mountinfo", "utf8")).map((m) => m.mountPoint);
const read = (file: string) => readFileSync(file, "utf8").trim();

/** Every directory of the test tree, in every hierarchy, deepest first: last-resort teardown. */
function removeTestTreeEverywhere(): void {
  const walk = (dir: string): string[] => {
    let names: string[];
    try {
      names = readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
    } catch {
      return [];
    }
    return [...names.flatMap((n) => walk(`${dir}/${n}`)), dir];
  };
  for (const mount of mountPoints()) {
    for (const dir of walk(mount + base)) {
      try {
        rmdirSync(dir);
      } catch {
        // reported by the suite's leak check
      }
    }
  }
}

describe("cgroups on this host's real hierarchies", function () {
  this.timeout(60_000);
  let cg: CgroupManager;
  const spawned: ChildProcess[] = [];

  /** Starts a shell script that waits for a line on stdin, so it can be moved into a cgroup first. */
  const gated = (script: string) => {
    const child = spawn("sh", ["-c", `read go; ${script}`], {
      stdio: ["pipe", "ignore", "ignore"],
    });
    spawned.push(child);
    return { child, pid: child.pid as number, go: () => child.stdin?.write("go\n") };
  };
  const exitOf = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null)
        resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once("exit", (code, signal) => resolve({ code, signal }));
    });

  before(async function () {
    requireIntegration(this, ["sh", "sleep", "dd"]);
    cg = await createCgroupManager();
    if (cg.version !== 1) {
      console.log(
        `  skipped: this suite checks cgroup v1 kernel files; this host runs cgroup v${cg.version}`,
      );
      this.skip();
    }
  });

  after(async () => {
    for (const child of spawned) {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        try {
          process.kill(child.pid, "SIGKILL");
        } catch {
          // already gone
        }
        await exitOf(child);
      }
    }
    if (!cg) return;
    await cg.killAll(base).catch(() => 0);
    await cg.remove(base).catch(() => removeTestTreeEverywhere());
  });

  it("detects the hybrid v1 layout: cpu and cpuacct apart, name=systemd, unified with hugetlb", () => {
    expect(cg.layout.version).to.equal(1);
    if (cg.layout.version !== 1) return;
    const sets = cg.layout.hierarchies.map((h) => h.controllers.join(","));
    expect(sets).to.include.members([
      "cpu",
      "cpuacct",
      "cpuset",
      "memory",
      "freezer",
      "pids",
      "name=systemd",
    ]);
    expect(cg.layout.unified?.mountPoint).to.equal("/sys/fs/cgroup/unified");
    expect(cg.layout.unified?.controllers).to.include("hugetlb");
  });

  it("creates pod and container cgroups in every hierarchy, name=systemd and unified included", async () => {
    await cg.create(`${base}/pod/ctr`);
    for (const mount of mountPoints()) {
      expect((await fs.stat(`${mount}${base}/pod/ctr`)).isDirectory(), mount).to.equal(true);
    }
    expect(read(`/sys/fs/cgroup/cpuset${base}/pod/ctr/cpuset.cpus`)).to.equal(
      read("/sys/fs/cgroup/cpuset/cpuset.cpus"),
    );
    expect(read(`/sys/fs/cgroup/cpuset${base}/pod/ctr/cpuset.mems`)).to.equal(
      read("/sys/fs/cgroup/cpuset/cpuset.mems"),
    );
    expect(await cg.children(base)).to.deep.equal([`${base}/pod`]);
  });

  it("applies limits that the kernel files then report, raising and lowering memory in the right order", async () => {
    const ctr = `${base}/pod/ctr`;
    const mib = 1 << 20;
    await cg.apply(ctr, {
      cpuShares: 512,
      cpuQuotaUs: 50000,
      cpuPeriodUs: 100000,
      cpusetCpus: "0",
      cpusetMems: "0",
      memoryLimitBytes: 64 * mib,
      memorySwapLimitBytes: 128 * mib,
      pidsLimit: 64,
    });
    expect(read(`/sys/fs/cgroup/cpu${ctr}/cpu.shares`)).to.equal("512");
    expect(read(`/sys/fs/cgroup/cpu${ctr}/cpu.cfs_quota_us`)).to.equal("50000");
    expect(read(`/sys/fs/cgroup/cpu${ctr}/cpu.cfs_period_us`)).to.equal("100000");
    expect(read(`/sys/fs/cgroup/cpuset${ctr}/cpuset.cpus`)).to.equal("0");
    expect(read(`/sys/fs/cgroup/memory${ctr}/memory.limit_in_bytes`)).to.equal(String(64 * mib));
    expect(read(`/sys/fs/cgroup/memory${ctr}/memory.memsw.limit_in_bytes`)).to.equal(
      String(128 * mib),
    );
    expect(read(`/sys/fs/cgroup/pids${ctr}/pids.max`)).to.equal("64");

    await cg.apply(ctr, { memoryLimitBytes: 32 * mib, memorySwapLimitBytes: 32 * mib });
    expect(read(`/sys/fs/cgroup/memory${ctr}/memory.memsw.limit_in_bytes`)).to.equal(
      String(32 * mib),
    );
    await cg.apply(ctr, { memoryLimitBytes: 256 * mib, memorySwapLimitBytes: 512 * mib });
    expect(read(`/sys/fs/cgroup/memory${ctr}/memory.limit_in_bytes`)).to.equal(String(256 * mib));
    expect(read(`/sys/fs/cgroup/memory${ctr}/memory.memsw.limit_in_bytes`)).to.equal(
      String(512 * mib),
    );
    await cg.apply(ctr, { cpuQuotaUs: 20000, cpuPeriodUs: 50000 });
    expect(read(`/sys/fs/cgroup/cpu${ctr}/cpu.cfs_period_us`)).to.equal("50000");
  });

  it("refuses what the kernel refuses, naming the file and the value", async () => {
    const err = await cg.apply(`${base}/pod/ctr`, { cpusetCpus: "4095" }).then(
      () => expect.fail("the kernel took cpus 4095"),
      (e: Error) => e,
    );
    expect(isBerthError(err, "InvalidArgument")).to.equal(true);
    expect(err.message)
      .to.contain(`"4095"`)
      .and.contain(`/sys/fs/cgroup/cpuset${base}/pod/ctr/cpuset.cpus`);
  });

  it("sets a huge page limit through the unified hierarchy (v1 has no hugetlb here)", async () => {
    const ctr = `${base}/pod/ctr`;
    await cg.apply(ctr, { hugepageLimits: [{ pageSize: "2MB", limitBytes: 4 << 20 }] });
    expect(read(`/sys/fs/cgroup/unified${ctr}/hugetlb.2MB.max`)).to.equal(String(4 << 20));
  });

  it("moves a real process into every hierarchy and lists it under the pod", async () => {
    const sleeper = gated("exec sleep 30");
    await cg.addProcess(`${base}/pod/ctr`, sleeper.pid);
    const lines = read(`/proc/${sleeper.pid}/cgroup`).split("\n");
    expect(lines.length).to.be.greaterThan(5);
    for (const line of lines) expect(line, line).to.match(new RegExp(`:${base}/pod/ctr$`));
    expect(await cg.pids(`${base}/pod`)).to.include(sleeper.pid);
    process.kill(sleeper.pid, "SIGKILL");
    await exitOf(sleeper.child);
  });

  it("reads cpu usage that grows for a busy loop, CFS throttling, memory working set and pids", async () => {
    const busyCg = `${base}/busy`;
    await cg.create(busyCg);
    await cg.apply(busyCg, { cpuQuotaUs: 20000, cpuPeriodUs: 100000 });
    // Memory charged before the move stays with the old cgroup; the exec'd shell's pages are new.
    const busy = gated("exec sh -c 'x=$(seq 1 20000); while :; do :; done'");
    await cg.addProcess(busyCg, busy.pid);
    busy.go();
    await sleep(300);
    const first = await cg.stats(busyCg);
    await sleep(500);
    const second = await cg.stats(busyCg);
    process.kill(busy.pid, "SIGKILL");
    await exitOf(busy.child);
    expect(first.cpu.usageNs).to.be.a("number");
    expect(second.cpu.usageNs as number).to.be.greaterThan(first.cpu.usageNs as number);
    expect(second.cpu.throttledPeriods as number).to.be.greaterThan(0);
    expect(second.memory.usageBytes as number).to.be.greaterThan(0);
    expect(second.memory.workingSetBytes as number).to.be.greaterThan(0);
    expect(second.memory.pageFaults as number).to.be.greaterThan(0);
    expect(second.memory.oomKills).to.equal(0);
    expect(second.pids.current).to.equal(1);
  });

  it("counts an OOM kill in the cgroup (memory.oom_control oom_kill)", async () => {
    const oomCg = `${base}/oom`;
    await cg.create(oomCg);
    await cg.apply(oomCg, { memoryLimitBytes: 16 << 20, memorySwapLimitBytes: 16 << 20 });
    const hog = gated("exec dd if=/dev/zero of=/dev/null bs=64M count=1");
    await cg.addProcess(oomCg, hog.pid);
    hog.go();
    expect((await exitOf(hog.child)).signal).to.equal("SIGKILL");
    expect(await cg.oomKills(oomCg)).to.be.greaterThan(0);
    expect((await cg.stats(oomCg)).memory.oomKills).to.be.greaterThan(0);
  });

  it("killAll stops a fork loop: frozen, signalled, thawed, and the cgroup empties", async () => {
    const loopCg = `${base}/forks`;
    await cg.create(loopCg);
    await cg.apply(loopCg, { pidsLimit: 64 });
    const loop = gated("while :; do sleep 30 & done");
    await cg.addProcess(loopCg, loop.pid);
    loop.go();
    await waitFor(
      "the loop to fork",
      async () => ((await cg.pids(loopCg)).length > 10 ? true : undefined),
      5000,
    );
    const killed = await cg.killAll(loopCg);
    expect(killed).to.be.greaterThan(10);
    await exitOf(loop.child);
    const left = await waitFor(
      "the cgroup to empty",
      async () => ((await cg.pids(loopCg)).length === 0 ? [] : undefined),
      5000,
    );
    expect(left).to.deep.equal([]);
    expect(read(`/sys/fs/cgroup/freezer${loopCg}/freezer.state`)).to.equal("THAWED");
  });

  it("refuses to remove a cgroup with a live process, naming it; removes it once killed", async () => {
    const busyCg = `${base}/holder/ctr`;
    await cg.create(busyCg);
    const sleeper = gated("exec sleep 30");
    await cg.addProcess(busyCg, sleeper.pid);
    const err = await cg.remove(`${base}/holder`).then(
      () => expect.fail("removed a cgroup with a live process"),
      (e: Error) => e,
    );
    expect(isBerthError(err, "FailedPrecondition")).to.equal(true);
    expect(err.message).to.contain(`processes ${sleeper.pid} are still in it`);
    expect(await cg.killAll(`${base}/holder`)).to.equal(1);
    await exitOf(sleeper.child);
    await cg.remove(`${base}/holder`);
    expect(await cg.exists(`${base}/holder`)).to.equal(false);
  });

  it("removes the whole tree leaf first, leaving nothing in any hierarchy", async () => {
    await cg.remove(base);
    for (const mount of mountPoints()) {
      await fs.stat(`${mount}${base}`).then(
        () => expect.fail(`${mount}${base} is still there`),
        (e: NodeJS.ErrnoException) => expect(e.code).to.equal("ENOENT"),
      );
    }
    expect(await cg.children(base)).to.deep.equal([]);
    await cg.remove(base);
  });
});
