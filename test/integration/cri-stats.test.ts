import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { detectCgroupLayout, type CgroupLayout } from "../../agent/runtime/cgroups/detect.js";
import { criHarness, grpcCode } from "../support/cri-harness.js";
import { waitFor } from "../support/wait-for.js";

const mib = 1024 * 1024;

/** The host's mount of the hierarchy carrying `controller`. */
function hierarchyOf(layout: CgroupLayout, controller: string) {
  const h =
    layout.version === 2
      ? layout.unified
      : layout.hierarchies.find((x) => x.controllers.includes(controller));
  if (!h) throw new Error(`no ${controller} hierarchy`);
  return h;
}

/** A control file of `cgroup` in the hierarchy the host mounted `controller` in. */
function hostControlFile(layout: CgroupLayout, controller: string, cgroup: string, file: string) {
  const h = hierarchyOf(layout, controller);
  const relative = path.posix.relative(h.mountRoot, cgroup);
  return path.join(h.mountPoint, relative, file);
}

const value = (v: { value: string } | null | undefined) => (v ? Number(v.value) : undefined);

describe("CRI stats and UpdateContainerResources on real cgroups", function () {
  const h = criHarness("cri-stats");
  let layout: CgroupLayout;
  before(async () => {
    layout = await detectCgroupLayout();
  });

  async function containerCgroup(id: string): Promise<string> {
    const res = await h.cri.runtime("ContainerStatus", { container_id: id, verbose: true });
    return JSON.parse(res.info.info).cgroup as string;
  }

  const stats = async (id: string) =>
    (await h.cri.runtime("ContainerStats", { container_id: id })).stats;

  it("reports a busy container's CPU time and rate, memory, and its id and labels", async () => {
    const pod = await h.runPod("busy");
    const id = await h.runContainer(pod, "spin", "while :; do :; done");
    const first = await stats(id);
    expect(first.attributes.id).to.equal(id);
    expect(first.attributes.metadata.name).to.equal("spin");
    expect(first.attributes.labels).to.deep.equal({ container: "spin" });
    await new Promise((r) => setTimeout(r, 1000));
    const second = await stats(id);
    const used = value(second.cpu.usage_core_nano_seconds)!;
    expect(used).to.be.greaterThan(value(first.cpu.usage_core_nano_seconds)!);
    // A shell spinning on one of the node's CPUs: well above a tenth of a core, at most one.
    const rate = value(second.cpu.usage_nano_cores)!;
    expect(rate).to.be.greaterThan(100_000_000);
    expect(rate).to.be.at.most(1_050_000_000);
    expect(BigInt(second.cpu.timestamp) > BigInt(first.cpu.timestamp)).to.equal(true);
    expect(value(second.memory.working_set_bytes)).to.be.greaterThan(0);
    expect(value(second.memory.usage_bytes)).to.be.at.least(
      value(second.memory.working_set_bytes)!,
    );
    expect(second.memory.available_bytes, "unlimited: no available bytes").to.equal(null);
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    expect(nowNs - BigInt(second.memory.timestamp) < 60_000_000_000n, "ns timestamps").to.equal(
      true,
    );
  });

  it("counts a file the container writes in its writable layer", async () => {
    const pod = await h.runPod("writer");
    const id = await h.runContainer(pod, "w", "sleep 300");
    const before = (await stats(id)).writable_layer;
    expect(before.fs_id.mountpoint).to.equal(path.join(h.base.path, "root"));
    const dd = await h.exec(id, [
      "busybox",
      "dd",
      "if=/dev/zero",
      "of=/f",
      "bs=1024",
      "count=1024",
    ]);
    expect(dd.exit_code, dd.stderr.toString()).to.equal(0);
    const after = (await stats(id)).writable_layer;
    expect(value(after.used_bytes)! - value(before.used_bytes)!).to.be.at.least(mib);
    expect(value(after.inodes_used)! - value(before.inodes_used)!).to.equal(1);
    expect(BigInt(after.timestamp) > BigInt(before.timestamp)).to.equal(true);
  });

  it("lists container stats by id, pod and labels", async () => {
    const p1 = await h.runPod("list-one");
    const p2 = await h.runPod("list-two");
    const a = await h.runContainer(p1, "a", "sleep 300", { labels: { tier: "web" } });
    const b = await h.runContainer(p1, "b", "sleep 300", { labels: { tier: "db" } });
    const c = await h.runContainer(p2, "c", "sleep 300", { labels: { tier: "web" } });
    const ids = async (filter?: object) =>
      (
        (await h.cri.runtime("ListContainerStats", filter ? { filter } : {})).stats as {
          attributes: { id: string };
        }[]
      )
        .map((s) => s.attributes.id)
        .sort();
    expect(await ids()).to.deep.equal([a, b, c].sort());
    expect(await ids({ id: b })).to.deep.equal([b]);
    expect(await ids({ pod_sandbox_id: p1.id })).to.deep.equal([a, b].sort());
    expect(await ids({ label_selector: { tier: "web" } })).to.deep.equal([a, c].sort());
    expect(await ids({ pod_sandbox_id: p2.id, label_selector: { tier: "db" } })).to.deep.equal([]);
    const one = (await h.cri.runtime("ListContainerStats", { filter: { id: a } })).stats[0];
    expect(value(one.cpu.usage_core_nano_seconds)).to.be.greaterThan(0);
  });

  it("reports a pod's usage, process count and containers", async () => {
    const pod = await h.runPod("pod-stats", { annotations: { note: "x" } });
    const other = await h.runPod("pod-other");
    const a = await h.runContainer(pod, "a", "exec sleep 300");
    const b = await h.runContainer(pod, "b", "sleep 300 & sleep 301 & wait");
    await h.runContainer(other, "c", "sleep 300");
    const podStats = async () =>
      (await h.cri.runtime("PodSandboxStats", { pod_sandbox_id: pod.id })).stats;
    // a's sleep, b's shell and its two sleeps.
    const s = await waitFor("four processes in the pod", async () => {
      const current = await podStats();
      return value(current.linux.process.process_count) === 4 ? current : undefined;
    });
    expect(s.attributes).to.deep.include({ id: pod.id, labels: { app: "pod-stats" } });
    expect(s.attributes.metadata.name).to.equal("pod-stats");
    expect(s.attributes.annotations).to.deep.equal({ note: "x" });
    expect(value(s.linux.cpu.usage_core_nano_seconds)).to.be.greaterThan(0);
    expect(value(s.linux.memory.working_set_bytes)).to.be.greaterThan(0);
    expect(s.linux.network, "no network stats without CNI").to.equal(null);
    const containerIds = (s.linux.containers as { attributes: { id: string } }[])
      .map((c) => c.attributes.id)
      .sort();
    expect(containerIds).to.deep.equal([a, b].sort());
    // The pod cgroup holds its containers': its CPU time is at least theirs.
    const containersCpu = (
      s.linux.containers as { cpu: { usage_core_nano_seconds: { value: string } } }[]
    )
      .map((c) => value(c.cpu.usage_core_nano_seconds)!)
      .reduce((x, y) => x + y, 0);
    expect(value((await podStats()).linux.cpu.usage_core_nano_seconds)).to.be.at.least(
      containersCpu,
    );

    const listed = async (filter: object) =>
      (
        (await h.cri.runtime("ListPodSandboxStats", { filter })).stats as {
          attributes: { id: string };
        }[]
      )
        .map((x) => x.attributes.id)
        .sort();
    expect(await listed({})).to.deep.equal([pod.id, other.id].sort());
    expect(await listed({ id: other.id })).to.deep.equal([other.id]);
    expect(await listed({ label_selector: { app: "pod-stats" } })).to.deep.equal([pod.id]);
    const gone = await h.cri
      .runtime("PodSandboxStats", { pod_sandbox_id: "0".repeat(64) })
      .catch((e) => e);
    expect(gone.code).to.equal(grpcCode.NOT_FOUND);
  });

  it("answers NotFound for the stats of an unknown container", async () => {
    const err = await stats("f".repeat(64)).catch((e) => e);
    expect(err.code).to.equal(grpcCode.NOT_FOUND);
  });

  it("changes a running container's memory limit and CPU quota in its cgroup, inside it, and in its status", async () => {
    const pod = await h.runPod("update");
    const id = await h.runContainer(pod, "u", "sleep 300", {
      linux: { resources: { memory_limit_in_bytes: String(64 * mib), cpu_shares: "512" } },
    });
    const cgroup = await containerCgroup(id);
    const memoryFile = hostControlFile(layout, "memory", cgroup, "memory.limit_in_bytes");
    const quotaFile = hostControlFile(layout, "cpu", cgroup, "cpu.cfs_quota_us");
    const read = async (f: string) => Number((await fs.readFile(f, "utf8")).trim());
    expect(await read(memoryFile)).to.equal(64 * mib);
    expect(await read(quotaFile)).to.equal(-1);

    await h.cri.runtime("UpdateContainerResources", {
      container_id: id,
      linux: { memory_limit_in_bytes: String(96 * mib), cpu_period: "100000", cpu_quota: "25000" },
    });
    expect(await read(memoryFile)).to.equal(96 * mib);
    expect(await read(quotaFile)).to.equal(25000);
    const sharesFile = hostControlFile(layout, "cpu", cgroup, "cpu.shares");
    expect(await read(sharesFile), "unset fields keep their value").to.equal(512);

    const inside = await h.exec(id, ["cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]);
    expect(inside.stdout.toString().trim()).to.equal(String(96 * mib));
    // runc mounts each hierarchy in the container under the host's mount name ("cpu", "cpu,cpuacct").
    const cpuDir = path.basename(hierarchyOf(layout, "cpu").mountPoint);
    const insideQuota = await h.exec(id, ["cat", `/sys/fs/cgroup/${cpuDir}/cpu.cfs_quota_us`]);
    expect(insideQuota.stdout.toString().trim()).to.equal("25000");

    const expectStatus = async () => {
      const r = (await h.status(id)).resources.linux;
      expect(r.memory_limit_in_bytes).to.equal(String(96 * mib));
      expect(r.cpu_quota).to.equal("25000");
      expect(r.cpu_period).to.equal("100000");
      expect(r.cpu_shares).to.equal("512");
    };
    await expectStatus();
    await h.killAgent();
    await h.startAgent();
    await expectStatus();
    expect(await read(memoryFile), "an agent restart keeps the limit").to.equal(96 * mib);
  });

  it("updates a created container before it starts", async () => {
    const pod = await h.runPod("update-created");
    const id = await h.createContainer(pod, "later", "sleep 300");
    await h.cri.runtime("UpdateContainerResources", {
      container_id: id,
      linux: { memory_limit_in_bytes: String(48 * mib) },
    });
    await h.cri.runtime("StartContainer", { container_id: id });
    const inside = await h.exec(id, ["cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]);
    expect(inside.stdout.toString().trim()).to.equal(String(48 * mib));
  });

  it("refuses bad limits naming the field, unknown containers and exited ones", async () => {
    const pod = await h.runPod("update-bad");
    const id = await h.runContainer(pod, "u", "sleep 300");
    const update = (container_id: string, linux: object) =>
      h.cri.runtime("UpdateContainerResources", { container_id, linux }).catch((e) => e);

    const bad = await update(id, { cpu_quota: "-5" });
    expect(bad.code).to.equal(grpcCode.INVALID_ARGUMENT);
    expect(bad.details).to.contain("linux.cpu_quota");
    const badSwap = await update(id, {
      memory_limit_in_bytes: String(64 * mib),
      memory_swap_limit_in_bytes: String(mib),
    });
    expect(badSwap.code).to.equal(grpcCode.INVALID_ARGUMENT);
    expect(badSwap.details).to.contain("linux.memory_swap_limit_in_bytes");
    expect((await h.status(id)).resources.linux.memory_limit_in_bytes).to.equal("0");

    expect((await update("0".repeat(64), { cpu_shares: "256" })).code).to.equal(grpcCode.NOT_FOUND);

    await h.cri.runtime("StopContainer", { container_id: id, timeout: 0 });
    expect((await update(id, { cpu_shares: "256" })).code).to.equal(grpcCode.FAILED_PRECONDITION);
  });
});
