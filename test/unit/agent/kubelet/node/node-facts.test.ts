import { expect } from "chai";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readMeminfo, readPids } from "../../../../../agent/kubelet/node/host-resources.js";
import { primaryIPv4 } from "../../../../../agent/kubelet/node/node-addresses.js";
import { gatherNodeFacts } from "../../../../../agent/kubelet/node/node-facts.js";
import { prettyName } from "../../../../../agent/kubelet/node/node-info.js";
import { readNodePressure } from "../../../../../agent/kubelet/node/node-pressure.js";
import { berthVersion } from "../../../../../lib/version.js";
import { tempDir } from "../../../../support/temp-dir.js";

const quantity = /^\d+(Ki)?$/;

describe("agent/kubelet/node facts", () => {
  let dir: { path: string; remove: () => void };

  beforeEach(() => (dir = tempDir("node-facts")));
  afterEach(() => dir.remove());

  const fixture = (name: string, text: string) => {
    const file = path.join(dir.path, name);
    writeFileSync(file, text);
    return file;
  };

  it("reports capacity, allocatable, nodeInfo, addresses and the agent's port", async () => {
    const facts = await gatherNodeFacts({
      nodeName: "node-1",
      root: dir.path,
      kubeletPort: 10250,
      internalIP: "192.0.2.10",
      hostname: "host-a",
    });
    expect(Object.keys(facts.capacity).sort()).to.deep.equal([
      "cpu",
      "ephemeral-storage",
      "memory",
      "pods",
    ]);
    for (const [name, value] of Object.entries({ ...facts.capacity })) {
      expect(value, name).to.match(quantity);
      expect(facts.allocatable[name], name).to.match(quantity);
    }
    expect(facts.capacity.cpu).to.equal(String(os.availableParallelism()));
    expect(facts.capacity.pods).to.equal("110");
    const ki = (q: string) => (q.endsWith("Ki") ? Number(q.slice(0, -2)) * 1024 : Number(q));
    expect(ki(facts.allocatable.memory)).to.equal(ki(facts.capacity.memory) - 100 * 1024 * 1024);
    expect(ki(facts.allocatable["ephemeral-storage"])).to.be.lessThan(
      ki(facts.capacity["ephemeral-storage"]),
    );
    expect(facts.nodeInfo).to.deep.include({
      operatingSystem: "linux",
      kernelVersion: os.release(),
      containerRuntimeVersion: `berth://${berthVersion}`,
      kubeletVersion: `v1.32.4+berth-${berthVersion}`,
    });
    expect(facts.nodeInfo.architecture).to.equal(process.arch === "x64" ? "amd64" : process.arch);
    expect(facts.nodeInfo.osImage).to.be.a("string").and.not.equal("");
    expect(facts.nodeInfo.bootID).to.match(/^[0-9a-f-]{36}$/);
    expect(facts.addresses).to.deep.equal([
      { type: "InternalIP", address: "192.0.2.10" },
      { type: "Hostname", address: "host-a" },
    ]);
    expect(facts.daemonEndpoints).to.deep.equal({ kubeletEndpoint: { Port: 10250 } });
  });

  it("names the bad option", async () => {
    const base = { nodeName: "n1", root: dir.path, kubeletPort: 10250 };
    const cases: [Record<string, unknown>, string][] = [
      [{ nodeName: "Bad_Name" }, "nodeName"],
      [{ kubeletPort: 70000 }, "kubeletPort"],
      [{ internalIP: "10.0.0" }, "internalIP"],
      [{ maxPods: 0 }, "maxPods"],
      [{ root: path.join(dir.path, "absent") }, "root"],
    ];
    for (const [override, field] of cases) {
      const err = await gatherNodeFacts({ ...base, ...override }).then(
        () => undefined,
        (e: Error & { field?: string }) => e,
      );
      expect(err?.field, JSON.stringify(override)).to.equal(field);
    }
  });

  it("takes the primary IPv4 from the default route's interface", async () => {
    const route = fixture(
      "route",
      [
        "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT",
        "eth1\t00000000\t0100A8C0\t0003\t0\t0\t200\t00000000\t0\t0\t0",
        "eth0\t00000000\t010011AC\t0003\t0\t0\t100\t00000000\t0\t0\t0",
        "eth0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0",
      ].join("\n"),
    );
    const iface = (address: string, internal = false): os.NetworkInterfaceInfo => ({
      address,
      family: "IPv4",
      internal,
      netmask: "255.255.0.0",
      mac: "00:00:00:00:00:00",
      cidr: `${address}/16`,
    });
    const interfaces = {
      lo: [iface("127.0.0.1", true)],
      eth0: [iface("172.17.0.5")],
      eth1: [iface("192.168.0.9")],
    };
    expect(await primaryIPv4(route, interfaces)).to.equal("172.17.0.5");
    const noRoute = fixture("no-route", "Iface\tDestination\n");
    expect(await primaryIPv4(noRoute, { lo: interfaces.lo, eth1: interfaces.eth1 })).to.equal(
      "192.168.0.9",
    );
    expect(await primaryIPv4(noRoute, { lo: interfaces.lo })).to.equal(undefined);
  });

  it("reads PRETTY_NAME, meminfo and PID counts", async () => {
    expect(prettyName('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')).to.equal(
      "Debian GNU/Linux 12 (bookworm)",
    );
    expect(prettyName("PRETTY_NAME=Plain\n")).to.equal("Plain");
    expect(prettyName("NAME=x\n")).to.equal("");
    const meminfo = await readMeminfo(
      fixture(
        "meminfo",
        "MemTotal:       16303016 kB\nMemAvailable:    1024 kB\nHugePages_Total:       0\n",
      ),
    );
    expect(meminfo.get("MemTotal")).to.equal(16303016 * 1024);
    expect(meminfo.get("HugePages_Total")).to.equal(0);
    const pids = await readPids({
      pidMax: fixture("pid_max", "4194304\n"),
      loadavg: fixture("loadavg", "0.52 0.58 0.59 3/1234 56789\n"),
    });
    expect(pids).to.deep.equal({ max: 4194304, running: 1234 });
    const bad = await readMeminfo(fixture("bad", "Nope: 1\n")).catch((e: Error) => e);
    expect(String(bad)).to.match(/no MemTotal/);
  });

  it("finds pressure from thresholds on memory, the root's filesystem and PIDs", async () => {
    const files = (memAvailableKb: number, tasks: number) => ({
      meminfo: fixture("m", `MemTotal: 8000000 kB\nMemAvailable: ${memAvailableKb} kB\n`),
      pidMax: fixture("p", "1000\n"),
      loadavg: fixture("l", `0.1 0.1 0.1 1/${tasks} 99\n`),
    });
    const thresholds = {
      memoryAvailableBytes: 100 * 1024 * 1024,
      nodefsAvailableFraction: 0,
      pidAvailableFraction: 0.1,
    };
    expect(await readNodePressure(dir.path, thresholds, files(4_000_000, 100))).to.deep.equal({
      memory: false,
      disk: false,
      pid: false,
    });
    expect(await readNodePressure(dir.path, thresholds, files(50_000, 950))).to.deep.equal({
      memory: true,
      disk: false,
      pid: true,
    });
    const full = { ...thresholds, nodefsAvailableFraction: 1.01 };
    expect((await readNodePressure(dir.path, full, files(4_000_000, 100))).disk).to.equal(true);
  });
});
