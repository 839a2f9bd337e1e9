import { expect } from "chai";
import { promises as fs, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { CgroupManager } from "../../agent/runtime/cgroups/cgroup-manager.js";
import { createCgroupManager } from "../../agent/runtime/cgroups/create-cgroup-manager.js";
import { busyboxBaseLayer } from "../fixtures/busybox-image.js";
import { buildImage } from "../fixtures/fixture-image.js";
import { criHarness, type Pod } from "../support/cri-harness.js";
import { waitFor } from "../support/wait-for.js";

const MiB = 1024 * 1024;

/** Capability bit numbers from linux/capability.h, written out so the test does not trust the agent's table. */
const capBit = {
  CHOWN: 0,
  DAC_OVERRIDE: 1,
  FOWNER: 3,
  FSETID: 4,
  KILL: 5,
  SETGID: 6,
  SETUID: 7,
  SETPCAP: 8,
  NET_BIND_SERVICE: 10,
  NET_RAW: 13,
  SYS_CHROOT: 18,
  SYS_ADMIN: 21,
  MKNOD: 27,
  AUDIT_WRITE: 29,
  SETFCAP: 31,
} as const;
type Cap = keyof typeof capBit;
const dockerDefaultCaps: Cap[] = [
  "CHOWN",
  "DAC_OVERRIDE",
  "FSETID",
  "FOWNER",
  "MKNOD",
  "NET_RAW",
  "SETGID",
  "SETUID",
  "SETFCAP",
  "SETPCAP",
  "NET_BIND_SERVICE",
  "SYS_CHROOT",
  "KILL",
  "AUDIT_WRITE",
];
const maskOf = (caps: Cap[]) => caps.reduce((m, c) => m | (1n << BigInt(capBit[c])), 0n);

/** The image's busybox with config.User set, so the image (not the CRI request) picks the user. */
async function userImage() {
  return buildImage([await busyboxBaseLayer()], { runConfig: { User: "berth" } });
}

describe("CRI containers: cgroup limits and security settings, seen through the socket", function () {
  const h = criHarness("cri-limits", async () => [
    { image: await userImage(), refNames: ["docker.io/library/berth-user:latest"] },
  ]);
  let cgroups: CgroupManager;
  const extraCgroups: string[] = [];

  before(async () => {
    cgroups = await createCgroupManager();
  });
  // Registered after the harness's hooks, so it runs once the pods (and their leaves) are gone.
  afterEach(async () => {
    for (const cg of extraCgroups.splice(0)) await cgroups.remove(cg);
  });

  /** The lines of the container's CRI log, stdout and stderr, each stream's partial lines joined. */
  async function logOf(id: string): Promise<string> {
    const s = await h.status(id);
    const pending = new Map<string, string>();
    const lines: string[] = [];
    for (const l of (await fs.readFile(s.log_path, "utf8")).split("\n")) {
      const m = /^\S+ (stdout|stderr) (F|P) (.*)$/.exec(l);
      if (!m) continue;
      const text = (pending.get(m[1]) ?? "") + m[3];
      pending.set(m[1], m[2] === "F" ? "" : text);
      if (m[2] === "F") lines.push(text);
    }
    lines.push(...[...pending.values()].filter((p) => p !== ""));
    return lines.map((l) => `${l}\n`).join("");
  }

  /** Runs `script` to completion and returns its exit code and log. */
  async function runToEnd(pod: Pod, name: string, script: string, extra = {}) {
    const id = await h.runContainer(pod, name, script, extra);
    const s = await h.exited(id);
    return { status: s, log: await logOf(id) };
  }

  async function cgroupOf(id: string): Promise<string> {
    const res = await h.cri.runtime("ContainerStatus", { container_id: id, verbose: true });
    return JSON.parse(res.info.info).cgroup as string;
  }

  const cgroupFile = (controller: string, cgroup: string, file: string) =>
    readFileSync(path.join("/sys/fs/cgroup", controller, cgroup, file), "utf8").trim();

  /** "CapEff:\t00000000a80425fb" → 0xa80425fbn */
  const statusMask = (log: string, key: string) => {
    const hex = new RegExp(`^${key}:\\s*([0-9a-f]+)$`, "m").exec(log)?.[1];
    expect(hex, `${key} in\n${log}`).to.be.a("string");
    return BigInt(`0x${hex}`);
  };

  it("writes memory, CPU quota and CPU shares to the container's own cgroup, visible inside it", async () => {
    const pod = await h.runPod("limits");
    const id = await h.runContainer(
      pod,
      "limited",
      [
        "cat /sys/fs/cgroup/memory/memory.limit_in_bytes",
        "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us",
        "cat /sys/fs/cgroup/cpu/cpu.shares",
        "sleep 300",
      ].join("; "),
      {
        linux: {
          resources: {
            memory_limit_in_bytes: String(64 * MiB),
            cpu_quota: "20000",
            cpu_period: "100000",
            cpu_shares: "512",
          },
        },
      },
    );
    const cg = await cgroupOf(id);
    expect(cg.startsWith(`${h.cgroupParent}/`), cg).to.equal(true);
    expect(cg.endsWith(`/${id}`), cg).to.equal(true);
    expect(cgroupFile("memory", cg, "memory.limit_in_bytes")).to.equal(String(64 * MiB));
    // No swap on top: memory+swap is capped at the memory limit (swap accounting is on here).
    expect(cgroupFile("memory", cg, "memory.memsw.limit_in_bytes")).to.equal(String(64 * MiB));
    expect(cgroupFile("cpu", cg, "cpu.cfs_quota_us")).to.equal("20000");
    expect(cgroupFile("cpu", cg, "cpu.cfs_period_us")).to.equal("100000");
    expect(cgroupFile("cpu", cg, "cpu.shares")).to.equal("512");

    // The container's init is in that cgroup in every controller, and sees its own limits.
    const pid = await h.pidOf(id);
    const own = readFileSync(`/proc/${pid}/cgroup`, "utf8");
    for (const controller of ["memory", "cpu", "cpuacct", "pids"]) {
      expect(own, own).to.match(new RegExp(`^\\d+:${controller}:${cg}$`, "m"));
    }
    const seen = await waitFor("the container's output", async () => {
      const log = await logOf(id);
      return log.split("\n").length > 4 ? log : undefined;
    });
    expect(seen.split("\n").slice(0, 4)).to.deep.equal([
      String(64 * MiB),
      "20000",
      "100000",
      "512",
    ]);
  });

  it("reports a container the memory cgroup killed as exited 137, OOMKilled", async () => {
    const pod = await h.runPod("oom");
    // dd allocates its 64 MiB block and fills it: far over the 32 MiB limit.
    const { status, log } = await runToEnd(
      pod,
      "hog",
      "echo starting; exec busybox dd if=/dev/zero of=/dev/null bs=64M count=1",
      { linux: { resources: { memory_limit_in_bytes: String(32 * MiB) } } },
    );
    expect(log).to.include("starting");
    expect(log).to.not.match(/records out/);
    expect(status.exit_code).to.equal(137);
    expect(status.reason).to.equal("OOMKilled");
  });

  it("does not call a container OOMKilled when only a child was killed and init exited 0", async () => {
    const pod = await h.runPod("oom-child");
    const { status, log } = await runToEnd(
      pod,
      "parent",
      "busybox dd if=/dev/zero of=/dev/null bs=64M count=1; echo child=$?; exit 0",
      { linux: { resources: { memory_limit_in_bytes: String(32 * MiB) } } },
    );
    expect(log).to.match(/^child=137$/m);
    expect(status.exit_code).to.equal(0);
    expect(status.reason).to.equal("Completed");
  });

  it("reports OOMKilled when the pod cgroup's memory limit killed the container", async () => {
    const podCgroup = `${h.cgroupParent}/memory-pod`;
    extraCgroups.push(podCgroup);
    await cgroups.create(podCgroup);
    await cgroups.apply(podCgroup, {
      memoryLimitBytes: 32 * MiB,
      memorySwapLimitBytes: 32 * MiB,
    });
    const pod = await h.runPod("pod-oom", { linux: { cgroup_parent: podCgroup } });
    const { status } = await runToEnd(
      pod,
      "hog",
      "exec busybox dd if=/dev/zero of=/dev/null bs=64M count=1",
    );
    expect(status.exit_code).to.equal(137);
    expect(status.reason).to.equal("OOMKilled");
  });

  it("reports an OOM kill that happened while the agent was down", async () => {
    const pod = await h.runPod("oom-offline");
    const id = await h.runContainer(
      pod,
      "late-hog",
      "sleep 1; exec busybox dd if=/dev/zero of=/dev/null bs=64M count=1",
      { linux: { resources: { memory_limit_in_bytes: String(32 * MiB) } } },
    );
    await h.killAgent();
    await waitFor("conmon to record the exit", async () =>
      fs.access(path.join(h.base.path, "run", "exits", id)).then(
        () => true,
        () => undefined,
      ),
    );
    await h.startAgent();
    const status = await h.status(id);
    expect(status.state).to.equal("CONTAINER_EXITED");
    expect(status.exit_code).to.equal(137);
    expect(status.reason).to.equal("OOMKilled");
  });

  it("stops a fork loop at the pids limit of the pod's cgroup parent", async () => {
    // The CRI has no per-container pids limit; the kubelet limits pids on the pod cgroup it
    // passes as cgroup_parent, so the container's leaf (made below it by runc) inherits it.
    const podCgroup = `${h.cgroupParent}/pids-pod`;
    extraCgroups.push(podCgroup);
    await cgroups.create(podCgroup);
    await cgroups.apply(podCgroup, { pidsLimit: 20 });
    const pod = await h.runPod("forker", { linux: { cgroup_parent: podCgroup } });
    const id = await h.runContainer(
      pod,
      "forker",
      // The loop runs in a subshell: a failed fork ends it, not the container's init.
      "( i=0; while [ $i -lt 100 ]; do sleep 300 & i=$((i+1)); done; echo all-forked ); echo loop-ended; sleep 300",
    );
    const log = await waitFor("the fork loop to end", async () => {
      const text = await logOf(id);
      return text.includes("loop-ended") ? text : undefined;
    });
    expect(log).to.not.include("all-forked");
    expect(log).to.match(/can't fork|Resource temporarily unavailable/);
    const cg = await cgroupOf(id);
    expect(path.posix.dirname(cg)).to.equal(podCgroup);
    const procs = (await cgroups.pids(cg)).length;
    expect(procs).to.be.at.most(20);
    expect(procs, "the loop forked up to the limit").to.be.at.least(15);
    expect(Number(cgroupFile("pids", podCgroup, "pids.current"))).to.be.at.most(20);
  });

  it("caps a busy loop at its CPU quota", async () => {
    const pod = await h.runPod("cpu");
    const busy = "while :; do :; done";
    const capped = await h.runContainer(pod, "capped", busy, {
      linux: { resources: { cpu_quota: "20000", cpu_period: "100000" } },
    });
    const free = await h.runContainer(pod, "free", busy);
    const [cgCapped, cgFree] = [await cgroupOf(capped), await cgroupOf(free)];
    const usage = () =>
      [cgCapped, cgFree].map((cg) => BigInt(cgroupFile("cpuacct", cg, "cpuacct.usage")));
    await sleep(200);
    const [c0, f0] = usage();
    const t0 = process.hrtime.bigint();
    await sleep(1500);
    const [c1, f1] = usage();
    const elapsed = Number(process.hrtime.bigint() - t0);
    const cappedShare = Number(c1 - c0) / elapsed;
    const freeShare = Number(f1 - f0) / elapsed;
    expect(cappedShare, `capped container used ${cappedShare} CPUs`).to.be.at.most(0.3);
    expect(cappedShare, "the capped loop ran").to.be.at.least(0.1);
    // The unlimited loop shows what the quota takes away, when a second CPU is there for it.
    if (os.cpus().length >= 2) expect(freeShare).to.be.greaterThan(cappedShare * 2);
  });

  it("runs as the image's USER, with no effective capabilities", async () => {
    const pod = await h.runPod("image-user");
    const { status, log } = await runToEnd(pod, "whoami", "id -u; id -g; cat /proc/self/status", {
      image: { image: "berth-user:latest" },
    });
    expect(status.exit_code).to.equal(0);
    expect(log.split("\n").slice(0, 2)).to.deep.equal(["1000", "1000"]);
    expect(statusMask(log, "CapEff")).to.equal(0n);
    expect(statusMask(log, "CapBnd")).to.equal(maskOf(dockerDefaultCaps));
  });

  it("runs as run_as_user, run_as_username, run_as_group and supplemental_groups", async () => {
    const pod = await h.runPod("sc-user");
    const asUid = await runToEnd(pod, "uid", "id -u; id -g", {
      image: { image: "berth-user:latest" },
      linux: { security_context: { run_as_user: { value: "1234" } } },
    });
    expect(asUid.log).to.equal("1234\n0\n");

    const asName = await runToEnd(pod, "name", "id -u; id -g", {
      linux: { security_context: { run_as_username: "nobody" } },
    });
    expect(asName.log).to.equal("65534\n65534\n");

    const groups = await runToEnd(pod, "groups", "id -u; id -g; id -G", {
      linux: {
        security_context: {
          run_as_user: { value: "1000" },
          run_as_group: { value: "4321" },
          supplemental_groups: ["5555", "6666"],
        },
      },
    });
    const [uid, gid, all] = groups.log.trim().split("\n");
    expect([uid, gid]).to.deep.equal(["1000", "4321"]);
    expect(all.split(" ")).to.have.members(["4321", "5555", "6666"]);
  });

  it("refuses writes to a read-only root filesystem but not to /dev/shm or a mounted volume", async () => {
    const pod = await h.runPod("ro-root");
    const volume = path.join(h.base.path, "ro-root-volume");
    await fs.mkdir(volume);
    const { status, log } = await runToEnd(
      pod,
      "ro",
      [
        "busybox touch /x; echo root=$?",
        "busybox touch /dev/shm/x; echo shm=$?",
        "echo written > /data/out; echo data=$?",
      ].join("; "),
      {
        linux: { security_context: { readonly_rootfs: true } },
        mounts: [{ container_path: "/data", host_path: volume }],
      },
    );
    expect(status.exit_code).to.equal(0);
    expect(log).to.match(/Read-only file system/);
    expect(log).to.match(/^root=1$/m);
    expect(log).to.match(/^shm=0$/m);
    expect(log).to.match(/^data=0$/m);
    expect(await fs.readFile(path.join(volume, "out"), "utf8")).to.equal("written\n");
  });

  it("drops and adds capabilities to exactly Docker's default set plus and minus the named ones", async () => {
    const pod = await h.runPod("caps");
    const script = "cat /proc/self/status; busybox chown 1000 /etc/issue; echo chown=$?";
    const plain = await runToEnd(pod, "default", script);
    expect(statusMask(plain.log, "CapEff")).to.equal(maskOf(dockerDefaultCaps));
    expect(statusMask(plain.log, "CapBnd")).to.equal(maskOf(dockerDefaultCaps));
    expect(plain.log).to.match(/^chown=0$/m);

    const changed = await runToEnd(pod, "changed", script, {
      linux: {
        security_context: {
          capabilities: {
            drop_capabilities: ["NET_RAW", "CHOWN"],
            add_capabilities: ["SYS_ADMIN"],
          },
        },
      },
    });
    const expected = maskOf([
      ...dockerDefaultCaps.filter((c) => c !== "NET_RAW" && c !== "CHOWN"),
      "SYS_ADMIN",
    ]);
    for (const key of ["CapEff", "CapPrm", "CapBnd"]) {
      expect(statusMask(changed.log, key).toString(16), key).to.equal(expected.toString(16));
    }
    expect(changed.log).to.match(/Operation not permitted/);
    expect(changed.log).to.match(/^chown=1$/m);
  });

  it("applies the RuntimeDefault seccomp profile: no user namespace without CAP_SYS_ADMIN", async () => {
    const pod = await h.runPod("seccomp");
    const script = "busybox unshare -U true; echo unshare=$?; cat /proc/self/status";
    const confined = await runToEnd(pod, "confined", script, {
      linux: { security_context: { seccomp: { profile_type: "RuntimeDefault" } } },
    });
    expect(confined.log).to.match(/^unshare=1$/m);
    expect(confined.log).to.match(/Operation not permitted/);
    expect(confined.log).to.match(/^Seccomp:\s+2$/m);

    // The same call succeeds unconfined, so it is the profile that refused it.
    const unconfined = await runToEnd(pod, "unconfined", script, {
      linux: { security_context: { seccomp: { profile_type: "Unconfined" } } },
    });
    expect(unconfined.log).to.match(/^unshare=0$/m);
    expect(unconfined.log).to.match(/^Seccomp:\s+0$/m);
  });

  it("sets no_new_privs when asked, and only then", async () => {
    const pod = await h.runPod("nnp");
    const script = "cat /proc/self/status";
    const seccomp = { profile_type: "RuntimeDefault" };
    const asked = await runToEnd(pod, "asked", script, {
      linux: { security_context: { seccomp, no_new_privs: true } },
    });
    expect(asked.log).to.match(/^NoNewPrivs:\s+1$/m);
    const unasked = await runToEnd(pod, "unasked", script, {
      linux: { security_context: { seccomp } },
    });
    expect(unasked.log).to.match(/^NoNewPrivs:\s+0$/m);
  });

  // This kernel has no /proc/kcore (CONFIG_PROC_KCORE unset), which runc leaves alone; the
  // other default masked paths that exist here show the masking: a file and a directory.
  it("masks /proc/timer_list and /sys/firmware and makes /proc/sys read-only unless the container is privileged", async () => {
    const script = [
      "stat -c '%F %t:%T' /proc/timer_list",
      "echo firmware=$(ls /sys/firmware)",
      "cat /proc/sys/kernel/hostname > /tmp/h",
      "cat /tmp/h > /proc/sys/kernel/hostname; echo procsys=$?",
      "cat /proc/self/status",
    ].join("; ");
    const pod = await h.runPod("masked");
    const plain = await runToEnd(pod, "plain", script);
    expect(plain.log).to.match(/^character special file 1:3$/m);
    expect(plain.log).to.match(/^firmware=$/m);
    expect(plain.log).to.match(/Read-only file system/);
    expect(plain.log).to.match(/^procsys=[1-9]\d*$/m);

    const privPod = await h.runPod("privileged", {
      linux: { security_context: { privileged: true } },
    });
    const priv = await runToEnd(privPod, "priv", script, {
      linux: { security_context: { privileged: true } },
    });
    expect(priv.log).to.match(/^regular (empty )?file 0:0$/m);
    expect(priv.log).to.match(/^firmware=\S/m);
    expect(priv.log).to.match(/^procsys=0$/m);
    const agentCaps = statusMask(
      readFileSync(`/proc/${h.agent.child.pid}/status`, "utf8"),
      "CapEff",
    );
    expect(statusMask(priv.log, "CapEff").toString(16)).to.equal(agentCaps.toString(16));
  });

  it("never gives a container or its exec'd processes a negative oom_score_adj", async () => {
    const pod = await h.runPod("oom-adj");
    const adj = (value: string) => ({ linux: { resources: { oom_score_adj: value } } });
    const negative = await h.runContainer(pod, "negative", "sleep 300", adj("-500"));
    const positive = await h.runContainer(pod, "positive", "sleep 300", adj("500"));
    const ofInit = async (id: string) =>
      Number(readFileSync(`/proc/${await h.pidOf(id)}/oom_score_adj`, "utf8"));
    const ofExec = async (id: string) =>
      Number((await h.exec(id, ["cat", "/proc/self/oom_score_adj"])).stdout.toString());
    expect(await ofInit(negative)).to.equal(0);
    expect(await ofExec(negative)).to.equal(0);
    expect(await ofInit(positive)).to.equal(500);
    expect(await ofExec(positive)).to.equal(500);
  });
});
