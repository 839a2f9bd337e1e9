import { expect } from "chai";
import { randomBytes, randomInt } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { CniRunner, podIps, type AttachmentParams } from "../../cni/runner/cni-runner.js";
import { CniError } from "../../cni/spec/errors.js";
import { run } from "../../lib/exec.js";
import { requireIntegration } from "../support/prerequisites.js";
import { tempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";

const binDirs = ["/usr/lib/cni"];
const id = randomBytes(2).toString("hex");
const bridge = `btr${id}`;
const netName = `berth-test-runner-${id}`;

const ip = (...args: string[]) => run("ip", args);
const linkJson = async (args: string[]) => {
  const r = await run("ip", ["-j", ...args], { okCodes: [0, 1, 255] });
  return r.code === 0 ? (JSON.parse(r.stdout || "[]") as Record<string, unknown>[]) : [];
};

/** A /24 in 10.241.0.0/16 with no address or route on this host. */
async function freeSubnet(): Promise<string> {
  const used = (await ip("-o", "-4", "addr")).stdout + (await ip("-4", "route")).stdout;
  for (;;) {
    const third = randomInt(0, 256);
    if (!used.includes(`10.241.${third}.`)) return `10.241.${third}`;
  }
}

/** A random high TCP port nothing listens on. */
async function freePort(): Promise<number> {
  for (;;) {
    const port = randomInt(20_000, 60_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "0.0.0.0", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** nat rules (iptables-save lines) that mention this suite's network. */
async function natRulesOfSuite(): Promise<string[]> {
  const { stdout } = await run("iptables-save", ["-t", "nat"]);
  return stdout.split("\n").filter((l) => l.includes(netName));
}

/** Last resort if a DEL failed: removes the suite's jump rules and the per-container chains. */
async function removeSuiteNatRules(): Promise<void> {
  const rules = await natRulesOfSuite();
  if (rules.length === 0) return;
  const chains = new Set<string>();
  for (const rule of rules) {
    const target = /-j (CNI-(?:DN-)?[0-9a-f]{16,})/.exec(rule)?.[1];
    if (target) chains.add(target);
  }
  const lines = [
    "*nat",
    ...rules.map((r) => r.replace(/^-A /, "-D ")),
    ...[...chains].flatMap((c) => [`-F ${c}`, `-X ${c}`]),
    "COMMIT",
    "",
  ];
  await run("iptables-restore", ["--noflush"], { input: lines.join("\n") });
}

describe("CniRunner with the reference plugins", function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof tempDir>;
  let subnet: string;
  let ipamDir: string;
  let cacheDir: string;
  const namespaces: string[] = [];
  const attached: { runner: CniRunner; a: AttachmentParams }[] = [];
  const timings: { add: number[]; del: number[] } = { add: [], del: [] };

  before(async function () {
    requireIntegration(this, ["ip", "iptables-save", "iptables-restore"]);
    if (!existsSync(path.join(binDirs[0], "bridge"))) {
      throw new Error("reference CNI plugins missing: install containernetworking-plugins");
    }
    tmp = tempDir("cni-runner");
    ipamDir = path.join(tmp.path, "ipam");
    cacheDir = path.join(tmp.path, "results");
    subnet = await freeSubnet();
  });

  afterEach(async () => {
    for (const { runner, a } of attached.splice(0)) {
      await runner.del(a).catch(() => undefined);
    }
    for (const ns of namespaces.splice(0)) {
      await run("ip", ["netns", "del", ns], { okCodes: [0, 1, 255] });
    }
  });

  after(async () => {
    if (!tmp) return;
    await run("ip", ["link", "del", bridge], { okCodes: [0, 1, 2, 255] });
    await removeSuiteNatRules();
    tmp.remove();
    if (timings.add.length > 0) {
      const fmt = (ms: number[]) => ms.map((m) => `${m} ms`).join(", ");
      console.log(`    reference plugins: ADD ${fmt(timings.add)}; DEL ${fmt(timings.del)}`);
    }
    expect(await linkJson(["link", "show", "dev", bridge]), "bridge left").to.deep.equal([]);
    expect(await natRulesOfSuite(), "nat rules left").to.deep.equal([]);
  });

  /** A conf dir holding one conflist of bridge + host-local, then `extra` plugins. */
  function confDir(name: string, extra: object[] = [], top: object = {}): string {
    const dir = path.join(tmp.path, name);
    mkdirSync(dir, { recursive: true });
    const list = {
      cniVersion: "1.0.0",
      name: netName,
      plugins: [
        {
          type: "bridge",
          bridge,
          isGateway: false,
          ipMasq: false,
          ipam: {
            type: "host-local",
            ranges: [[{ subnet: `${subnet}.0/24` }]],
            dataDir: ipamDir,
          },
        },
        ...extra,
      ],
      ...top,
    };
    writeFileSync(path.join(dir, "10-runner.conflist"), JSON.stringify(list));
    return dir;
  }

  const runnerFor = (dir: string) => new CniRunner({ confDir: dir, binDirs, cacheDir });

  async function newNetns(): Promise<string> {
    const name = `berth-test-${id}-${randomBytes(2).toString("hex")}`;
    await ip("netns", "add", name);
    namespaces.push(name);
    return `/run/netns/${name}`;
  }

  async function add(runner: CniRunner, a: AttachmentParams) {
    attached.push({ runner, a });
    const started = Date.now();
    const result = await runner.add(a);
    timings.add.push(Date.now() - started);
    return result;
  }

  async function del(runner: CniRunner, a: AttachmentParams) {
    const started = Date.now();
    await runner.del(a);
    timings.del.push(Date.now() - started);
  }

  /** The IPs host-local holds for the suite's network. */
  const reservedIps = () => {
    const dir = path.join(ipamDir, netName);
    return existsSync(dir) ? readdirSync(dir).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f)) : [];
  };

  const containerAddrs = async (netns: string, ifname = "eth0") => {
    const links = await linkJson(["-n", path.basename(netns), "addr", "show", "dev", ifname]);
    return links.flatMap((l) =>
      (l.addr_info as { family: string; local: string; prefixlen: number }[])
        .filter((i) => i.family === "inet")
        .map((i) => `${i.local}/${i.prefixlen}`),
    );
  };

  const attachment = (netns: string, extra: Partial<AttachmentParams> = {}): AttachmentParams => ({
    containerId: `berth-test-${randomBytes(6).toString("hex")}`,
    ifname: "eth0",
    netns,
    args: { K8S_POD_NAMESPACE: "default", K8S_POD_NAME: "runner-test" },
    ...extra,
  });

  it("reports the reference plugins' VERSION: up to 1.0.0", async () => {
    const runner = runnerFor(confDir("net-version"));
    for (const type of ["bridge", "host-local", "portmap", "loopback"]) {
      const v = await runner.version(type);
      expect(v.supportedVersions, type).to.include("1.0.0");
      expect(v.supportedVersions, type).to.not.include("1.1.0");
    }
    await runner.status();
  });

  it("attaches through bridge, host-local and portmap; DEL removes it all, twice", async () => {
    const runner = runnerFor(
      confDir("net-portmap", [{ type: "portmap", capabilities: { portMappings: true } }]),
    );
    const netns = await newNetns();
    const hostPort = await freePort();
    const a = attachment(netns, {
      capabilities: { portMappings: [{ hostPort, containerPort: 80, protocol: "tcp" }] },
    });
    const result = await add(runner, a);

    expect(result.cniVersion).to.equal("1.0.0");
    expect(result.interfaces).to.have.length(3);
    const [br, veth, eth0] = result.interfaces ?? [];
    expect(br.name).to.equal(bridge);
    expect(eth0).to.include({ name: "eth0", sandbox: netns });
    const [podIp] = podIps(result);
    expect(podIp.startsWith(`${subnet}.`), podIp).to.equal(true);
    const [hostEnd] = await linkJson(["link", "show", "dev", veth.name]);
    expect(hostEnd?.master).to.equal(bridge);
    expect(await containerAddrs(netns)).to.deep.equal([`${podIp}/24`]);
    expect(reservedIps()).to.deep.equal([podIp]);
    const dnat = (await run("iptables-save", ["-t", "nat"])).stdout
      .split("\n")
      .filter((l) => l.includes(`--dport ${hostPort} `) && l.includes(`${podIp}:80`));
    expect(dnat, "portmap DNAT rule for the mapping").to.have.length(1);
    expect(await runner.cachedResult(a.containerId, "eth0")).to.deep.equal(result);

    await del(runner, a);
    expect(await linkJson(["link", "show", "dev", veth.name])).to.deep.equal([]);
    expect(await containerAddrs(netns)).to.deep.equal([]);
    expect(reservedIps()).to.deep.equal([]);
    expect(await natRulesOfSuite()).to.deep.equal([]);
    expect(await runner.cachedResult(a.containerId, "eth0")).to.equal(undefined);
    await del(runner, a);
  });

  it("CHECK passes on a healthy attachment and fails once eth0 is gone", async () => {
    const runner = runnerFor(confDir("net-bridge"));
    const netns = await newNetns();
    const a = attachment(netns);
    await add(runner, a);
    await runner.check(a);
    await run("ip", ["-n", path.basename(netns), "link", "del", "eth0"]);
    let failure: unknown;
    await runner.check(a).catch((err) => (failure = err));
    expect(failure).to.be.instanceOf(CniError);
    expect((failure as CniError).plugin).to.equal("bridge");
    await del(runner, a);
    expect(reservedIps()).to.deep.equal([]);
  });

  it("DEL after the netns is gone succeeds and frees the IP", async () => {
    const runner = runnerFor(confDir("net-bridge"));
    const netns = await newNetns();
    const a = attachment(netns);
    const result = await add(runner, a);
    expect(reservedIps()).to.have.length(1);
    await ip("netns", "del", path.basename(netns));
    await del(runner, a);
    expect(reservedIps()).to.deep.equal([]);
    // The kernel tears the netns down (and the host veth with it) asynchronously.
    const veth = result.interfaces?.[1].name ?? "?";
    await waitFor(`${veth} to go`, async () =>
      (await linkJson(["link", "show", "dev", veth])).length === 0 ? true : undefined,
    );
    await del(runner, a);
  });

  it("a new runner instance CHECKs and DELs from the cache", async () => {
    const dir = confDir("net-bridge");
    const netns = await newNetns();
    const a = attachment(netns);
    const result = await add(runnerFor(dir), a);
    const restarted = runnerFor(dir);
    expect(await restarted.cachedAttachments()).to.deep.include({
      containerID: a.containerId,
      ifname: "eth0",
    });
    expect(await restarted.cachedResult(a.containerId, "eth0")).to.deep.equal(result);
    await restarted.check(a);
    await del(restarted, { ...a, args: undefined });
    expect(reservedIps()).to.deep.equal([]);
    expect(await containerAddrs(netns)).to.deep.equal([]);
    expect(await restarted.cachedAttachments()).to.deep.equal([]);
  });

  it("refuses a cniVersions 1.1.0-only list with code 1 naming bridge, before any change", async () => {
    const runner = runnerFor(
      confDir("net-v11", [], { cniVersion: undefined, cniVersions: ["1.1.0"] }),
    );
    const netns = await newNetns();
    let failure: unknown;
    await add(runner, attachment(netns)).catch((err) => (failure = err));
    expect(failure).to.be.instanceOf(CniError);
    expect(failure).to.include({ code: 1, plugin: "bridge" });
    expect(reservedIps()).to.deep.equal([]);
    expect(await containerAddrs(netns)).to.deep.equal([]);
  });
});
