import { expect } from "chai";
import { existsSync } from "node:fs";
import {
  createCadvisorCollector,
  type CadvisorRuntime,
} from "../../../../../agent/kubelet/cadvisor/cadvisor-collector.js";
import type { SampleSources } from "../../../../../agent/kubelet/cadvisor/read-target.js";
import type { ImageRecord } from "../../../../../agent/images/image-records.js";
import type { CgroupManager } from "../../../../../agent/runtime/cgroups/cgroup-manager.js";
import { CgroupV1Manager, type V1Layout } from "../../../../../agent/runtime/cgroups/v1-manager.js";
import { CgroupV2Manager, type V2Layout } from "../../../../../agent/runtime/cgroups/v2-manager.js";
import type { SandboxRecord } from "../../../../../agent/runtime/records.js";
import { internal } from "../../../../../lib/errors.js";
import { fakeV1Host, fakeV2Host, type FakeHost } from "../../../runtime/cgroups/fake-hosts.js";
import { find, parseExposition } from "../../../../support/exposition-parser.js";
import { promtoolCheckMetrics } from "../../../../support/promtool.js";
import { container, sandbox } from "./records.js";

const now = 1700000100123;
const machine = {
  cpuCores: 4,
  memoryBytes: 8 << 30,
  machineId: "m1",
  systemUuid: "u1",
  bootId: "b1",
  bootTimeSeconds: 1600000000,
};
const eth0 = {
  name: "eth0",
  rxBytes: 1000,
  rxPackets: 10,
  rxErrors: 1,
  rxDropped: 2,
  txBytes: 2000,
  txPackets: 20,
  txErrors: 3,
  txDropped: 4,
};
// A pod name no API server would take, to prove the escaping.
const oddPod = 'we"b\\1\nx';

function runtimeOf(cgroups: CadvisorRuntime["cgroups"]): CadvisorRuntime {
  const sandboxes = [
    sandbox("p1", {
      config: {
        metadata: { name: oddPod, namespace: "ns", uid: "u", attempt: 0 },
      } as SandboxRecord["config"],
    }),
    sandbox("p2", { state: "notready" }),
  ];
  const containers = [
    container("c1", "p1", { pid: 4242 }),
    container("c2", "p1", { state: "exited", pid: undefined }),
  ];
  return {
    sandboxes: { list: () => sandboxes },
    containers: { list: () => containers },
    images: {
      list: async () =>
        [
          { id: "sha256:bb", repoTags: ["docker.io/library/busybox:latest"] },
        ] as unknown as ImageRecord[],
    },
    cgroups,
    paths: { root: "/var/lib/berth", containerUpper: (id) => `/nowhere/${id}` },
  };
}

/**
 * A collector over the fake host's cgroups, read as in production through its own polling
 * manager (synchronous reads of the same files), or through `cgroups` when given.
 */
function collector(host: CgroupManager, cgroups?: SampleSources["cgroups"]) {
  return createCadvisorCollector({
    runtime: runtimeOf(host),
    machine: async () => machine,
    sources: {
      netDev: async (pid) => (pid === 4242 ? [eth0] : undefined),
      layerUsage: async (id) => (id === "c1" ? 8192 : undefined),
      layerDevice: async () => "/dev/vda1",
      nowMs: () => now,
      ...(cgroups ? { cgroups } : {}),
    },
  });
}

const ctr = { id: "/berth/p1/c1", container: "ctr-c1", name: "c1", pod: oddPod, namespace: "ns" };
const pod = { id: "/berth/p1", container: "", name: "", image: "", pod: oddPod, namespace: "ns" };

describe("cadvisor collector (fake cgroupfs, fake /proc)", () => {
  let host: FakeHost;
  afterEach(() => host.remove());

  async function v1Scrape(): Promise<string> {
    host = await fakeV1Host();
    const cg = new CgroupV1Manager(host.layout as V1Layout, { fs: host.fs });
    await cg.create("/berth/p1/c1");
    await cg.apply("/berth/p1/c1", {
      cpuShares: 512,
      cpuQuotaUs: 50000,
      cpuPeriodUs: 100000,
      memoryLimitBytes: 64 << 20,
      pidsLimit: 100,
    });
    const set = (file: string, value: string) => host.fs.set(`${file}`, value);
    await set("cpuacct/berth/p1/c1/cpuacct.usage", "2500000000");
    await set("cpuacct/berth/p1/c1/cpuacct.usage_user", "2000000000");
    await set("cpuacct/berth/p1/c1/cpuacct.usage_sys", "500000000");
    await set(
      "cpu/berth/p1/c1/cpu.stat",
      "nr_periods 10\nnr_throttled 3\nthrottled_time 1500000000\n",
    );
    await set("memory/berth/p1/c1/memory.usage_in_bytes", String(10 << 20));
    await set(
      "memory/berth/p1/c1/memory.stat",
      `total_cache ${4 << 20}\ntotal_rss ${6 << 20}\ntotal_inactive_file ${2 << 20}\n`,
    );
    await set(
      "memory/berth/p1/c1/memory.oom_control",
      "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n",
    );
    await set("pids/berth/p1/c1/pids.current", "4");
    await set("cpu/berth/p1/c1/cgroup.procs", "5\n6\n");
    await set("cpuacct/berth/p1/cpuacct.usage", "3000000000");
    return collector(cg).scrape();
  }

  it("v1: per-container CPU, memory, OOM, tasks, disk and spec series with the kubelet's labels", async () => {
    const parsed = parseExposition(await v1Scrape());
    const image = "docker.io/library/busybox:latest";
    const one = (name: string, match: Record<string, string> = ctr) => {
      const found = find(parsed, name, match);
      expect(found, `${name} ${JSON.stringify(match)}`).to.have.length(1);
      return found[0];
    };
    expect(one("container_cpu_usage_seconds_total")).to.deep.equal({
      name: "container_cpu_usage_seconds_total",
      labels: { ...ctr, image, cpu: "total" },
      value: 2.5,
      timestampMs: now,
    });
    expect(one("container_cpu_user_seconds_total").value).to.equal(2);
    expect(one("container_cpu_system_seconds_total").value).to.equal(0.5);
    expect(one("container_cpu_cfs_periods_total").value).to.equal(10);
    expect(one("container_cpu_cfs_throttled_periods_total").value).to.equal(3);
    expect(one("container_cpu_cfs_throttled_seconds_total").value).to.equal(1.5);
    expect(one("container_memory_usage_bytes").value).to.equal(10 << 20);
    expect(one("container_memory_working_set_bytes").value, "usage − inactive_file").to.equal(
      8 << 20,
    );
    expect(one("container_memory_rss").value).to.equal(6 << 20);
    expect(one("container_memory_cache").value).to.equal(4 << 20);
    expect(one("container_oom_events_total").value).to.equal(2);
    expect(one("container_processes").value).to.equal(2);
    expect(one("container_threads").value).to.equal(4);
    expect(one("container_threads_max").value).to.equal(100);
    expect(one("container_fs_usage_bytes").labels.device).to.equal("/dev/vda1");
    expect(one("container_fs_usage_bytes").value).to.equal(8192);
    expect(one("container_last_seen")).to.include({
      value: Math.floor(now / 1000),
      timestampMs: now,
    });
    // Spec series carry no timestamp, as in cAdvisor.
    expect(one("container_spec_memory_limit_bytes")).to.deep.include({ value: 64 << 20 });
    expect(one("container_spec_memory_limit_bytes").timestampMs).to.equal(undefined);
    expect(one("container_spec_cpu_quota").value).to.equal(50000);
    expect(one("container_spec_cpu_period").value).to.equal(100000);
    expect(one("container_spec_cpu_shares").value).to.equal(512);
    expect(one("container_start_time_seconds").value).to.equal(1700000001.5);
    expect(one("machine_cpu_cores", {})).to.deep.equal({
      name: "machine_cpu_cores",
      labels: { boot_id: "b1", machine_id: "m1", system_uuid: "u1" },
      value: 4,
    });
    expect(one("machine_memory_bytes", {}).value).to.equal(8 << 30);
    expect(one("container_scrape_error", {}).value).to.equal(0);
  });

  it("v1: the pod cgroup's series have container=\"\" and carry the pod's network", async () => {
    const parsed = parseExposition(await v1Scrape());
    expect(find(parsed, "container_cpu_usage_seconds_total", pod)[0].value).to.equal(3);
    expect(find(parsed, "container_spec_memory_limit_bytes", pod)[0].value, "unlimited").to.equal(
      0,
    );
    expect(find(parsed, "container_spec_cpu_quota", pod), "no quota").to.have.length(0);
    expect(find(parsed, "container_start_time_seconds", pod)[0].value).to.equal(1700000000);
    const rx = find(parsed, "container_network_receive_bytes_total");
    expect(rx).to.deep.equal([
      {
        name: "container_network_receive_bytes_total",
        labels: { ...pod, interface: "eth0" },
        value: 1000,
        timestampMs: now,
      },
    ]);
    expect(find(parsed, "container_network_transmit_packets_dropped_total")[0].value).to.equal(4);
    expect(find(parsed, "container_network_receive_errors_total")[0].value).to.equal(1);
    expect(find(parsed, "container_processes", { id: "/" })).to.have.length(1);
    const ids = new Set(parsed.samples.map((s) => s.labels.id).filter(Boolean));
    expect([...ids].sort(), "not-ready pods and exited containers are left out").to.deep.equal([
      "/",
      "/berth/p1",
      "/berth/p1/c1",
    ]);
  });

  it("v1: HELP, TYPE and label escaping pass promtool check metrics", async function () {
    const text = await v1Scrape();
    expect(text).to.contain(`pod="we\\"b\\\\1\\nx"`);
    const parsed = parseExposition(text);
    expect(parsed.help.get("container_memory_working_set_bytes")).to.equal(
      "Current working set in bytes.",
    );
    expect(parsed.type.get("container_cpu_usage_seconds_total")).to.equal("counter");
    expect(parsed.type.get("container_memory_rss")).to.equal("gauge");
    for (const s of parsed.samples) expect(parsed.help.has(s.name), s.name).to.equal(true);
    if (!existsSync("/usr/bin/promtool")) this.skip();
    const { code, output } = await promtoolCheckMetrics(text);
    expect({ code, output }).to.deep.equal({ code: 0, output: "" });
  });

  it("v2: cpu.max, cpu.weight as shares, memory.max, anon/file and inactive_file", async () => {
    host = await fakeV2Host();
    const cg = new CgroupV2Manager(host.layout as V2Layout, { fs: host.fs });
    await cg.create("/berth/p1/c1");
    await cg.apply("/berth/p1/c1", {
      cpuQuotaUs: 20000,
      cpuPeriodUs: 100000,
      memoryLimitBytes: 32 << 20,
    });
    await host.fs.set(
      "berth/p1/c1/cpu.stat",
      "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n",
    );
    await host.fs.set("berth/p1/c1/memory.current", String(5 << 20));
    await host.fs.set(
      "berth/p1/c1/memory.stat",
      `anon ${3 << 20}\nfile ${2 << 20}\ninactive_file ${1 << 20}\n`,
    );
    await host.fs.set("berth/p1/c1/memory.events", "low 0\nhigh 0\nmax 0\noom 1\noom_kill 1\n");
    const parsed = parseExposition(await collector(cg).scrape());
    const value = (name: string) => find(parsed, name, ctr)[0]?.value;
    expect(value("container_cpu_usage_seconds_total")).to.equal(1.5);
    expect(value("container_memory_working_set_bytes")).to.equal(4 << 20);
    expect(value("container_memory_rss")).to.equal(3 << 20);
    expect(value("container_memory_cache")).to.equal(2 << 20);
    expect(value("container_spec_memory_limit_bytes")).to.equal(32 << 20);
    expect(value("container_spec_cpu_quota")).to.equal(20000);
    expect(value("container_spec_cpu_shares")).to.equal(2 + Math.floor((99 * 262142) / 9999));
    expect(value("container_oom_events_total")).to.equal(1);
  });

  it("leaves out a container whose cgroup vanished, and flags a cgroup it could not read", async () => {
    host = await fakeV1Host();
    const cg = new CgroupV1Manager(host.layout as V1Layout, { fs: host.fs });
    await cg.create("/berth/p1");
    const gone = parseExposition(await collector(cg).scrape());
    expect(find(gone, "container_memory_usage_bytes", { id: "/berth/p1/c1" })).to.have.length(0);
    expect(find(gone, "container_scrape_error")[0].value).to.equal(0);
    const failing: SampleSources["cgroups"] = {
      stats: (p) => (p === "/berth/p1" ? Promise.reject(internal("EIO")) : cg.stats(p)),
      cpuSpec: (p) => cg.cpuSpec(p),
      ownProcessCount: (p) => cg.ownProcessCount(p),
    };
    const flagged = parseExposition(await collector(cg, failing).scrape());
    expect(find(flagged, "container_scrape_error")[0].value).to.equal(1);
    expect(find(flagged, "container_memory_usage_bytes", { id: "/" })).to.have.length(1);
  });
});
