import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execPlugin, type PluginEnv } from "../../cni/exec/exec-plugin.js";
import { tokenize } from "../../cni/plugins/common/iptables.js";
import { containerChain } from "../../cni/plugins/portmap/chains.js";
import { CniError } from "../../cni/spec/errors.js";
import type { CniResult, PortMapping } from "../../cni/spec/types.js";
import { run } from "../../lib/exec.js";
import { requireIntegration } from "../support/prerequisites.js";
import { tempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";

const binDir = fileURLToPath(new URL("../../../cni/bin", import.meta.url));
const id = randomBytes(2).toString("hex");
const network = `berth-test-pm-${id}`;
const otherNetwork = `berth-test-pmo-${id}`;
const ns = `berth-test-pm-${id}`;
const nsPath = `/run/netns/${ns}`;
const bridge = `btbpm${id}`;
const hostVeth = `btvpm${id}`;
const peerVeth = `btcpm${id}`;

type Plugin = "berth-portmap" | "portmap";
interface Call {
  plugin?: Plugin;
  cid: string;
  net?: string;
  mappings?: PortMapping[];
  prevResult?: CniResult | null;
  netns?: string;
  extra?: Record<string, unknown>;
}

/** Every attachment a test ADDed, DELed again in after() whatever happened. */
const added: Call[] = [];

describe("berth-portmap: host ports into a network namespace through real iptables", function () {
  this.timeout(60_000);
  let sub = "";
  let server: ChildProcess | undefined;
  const site = tempDir("portmap");
  const token = `hello-${id}`;
  let allRouteLocalnet = "";

  const prevResult = (): CniResult => ({
    cniVersion: "1.1.0",
    interfaces: [{ name: bridge }, { name: hostVeth }, { name: "eth0", sandbox: nsPath }],
    ips: [{ interface: 2, address: `${sub}.2/24`, gateway: `${sub}.1` }],
    routes: [{ dst: "0.0.0.0/0" }],
    dns: {},
  });

  function exec(command: PluginEnv["command"], call: Call): Promise<unknown> {
    const plugin = call.plugin ?? "berth-portmap";
    const stdin = {
      cniVersion: plugin === "portmap" ? "1.0.0" : "1.1.0",
      name: call.net ?? network,
      type: plugin,
      ...(call.mappings ? { runtimeConfig: { portMappings: call.mappings } } : {}),
      ...(call.prevResult === null ? {} : { prevResult: call.prevResult ?? prevResult() }),
      ...call.extra,
    };
    if (command === "ADD") added.push(call);
    return execPlugin(path.join(plugin === "portmap" ? "/usr/lib/cni" : binDir, plugin), stdin, {
      command,
      containerId: call.cid,
      netns: call.netns ?? nsPath,
      ifname: "eth0",
      path: [binDir, "/usr/lib/cni"],
    });
  }

  async function failure(p: Promise<unknown>): Promise<CniError> {
    try {
      await p;
    } catch (err) {
      expect(err).to.be.instanceOf(CniError);
      return err as CniError;
    }
    throw new Error("expected the plugin to fail");
  }

  before(async function () {
    requireIntegration(this, ["ip", "iptables-save", "iptables-restore", "busybox", "ss"]);
    allRouteLocalnet = readSysctl("all", "route_localnet");
    sub = await freeSubnet();
    writeFileSync(path.join(site.path, "hello"), token);
    await run("ip", ["netns", "add", ns]);
    await run("ip", ["-batch", "-"], {
      input: [
        `link add ${bridge} type bridge`,
        `addr add ${sub}.1/24 dev ${bridge}`,
        `link set ${bridge} up`,
        `link add ${hostVeth} type veth peer name ${peerVeth}`,
        `link set ${hostVeth} master ${bridge}`,
        // As the bridge plugin's hairpinMode: br_netfilter bridges a DNAT back to the port it came from.
        `link set ${hostVeth} type bridge_slave hairpin on`,
        `link set ${hostVeth} up`,
        `link set ${peerVeth} netns ${ns}`,
        "",
      ].join("\n"),
    });
    await run("ip", ["-n", ns, "-batch", "-"], {
      input: [
        `link set ${peerVeth} name eth0`,
        `addr add ${sub}.2/24 dev eth0`,
        "link set eth0 up",
        "link set lo up",
        `route add default via ${sub}.1`,
        "",
      ].join("\n"),
    });
    server = spawn(
      "ip",
      ["netns", "exec", ns, "busybox", "httpd", "-f", "-p", "8080", "-h", site.path],
      {
        stdio: "ignore",
      },
    );
    await waitFor("the server in the netns", () => get(`${sub}.2`, 8080).catch(() => undefined));
  });

  after(async () => {
    for (const call of added.reverse()) {
      await exec("DEL", { ...call, prevResult: null }).catch(() => undefined);
    }
    await removeLeftoverRules().catch(() => undefined);
    if (server?.pid) server.kill("SIGKILL");
    await run("ip", ["link", "del", bridge], { okCodes: [0, 1, 2] }).catch(() => undefined);
    await run("ip", ["link", "del", hostVeth], { okCodes: [0, 1, 2] }).catch(() => undefined);
    await run("ip", ["netns", "del", ns], { okCodes: [0, 1, 2] }).catch(() => undefined);
    site.remove();
    expect(await natLines(network), "nat rules left behind").to.deep.equal([]);
    expect(readSysctl("all", "route_localnet")).to.equal(allRouteLocalnet);
  });

  it("ADD maps a TCP port: reached from 127.0.0.1, the bridge address and, hairpinned, from the pod itself", async () => {
    const [port, udpPort] = [await freePort(), await freePort()];
    const result = await exec("ADD", {
      cid: "a",
      mappings: [
        { hostPort: port, containerPort: 8080, protocol: "tcp", hostIP: "" },
        { hostPort: udpPort, containerPort: 53, protocol: "udp", hostIP: `${sub}.1` },
      ],
    });
    expect(result).to.deep.equal(prevResult());
    expect(readSysctl(bridge, "route_localnet")).to.equal("1");
    expect(readSysctl("all", "route_localnet")).to.equal(allRouteLocalnet);

    expect(await get("127.0.0.1", port)).to.equal(token);
    expect(await get(`${sub}.1`, port)).to.equal(token);
    // busybox wget crashes (static NSS); nc speaks the request instead.
    const hairpin = await run(
      "ip",
      ["netns", "exec", ns, "busybox", "nc", "-w", "3", `${sub}.1`, String(port)],
      {
        input: "GET /hello HTTP/1.0\r\n\r\n",
      },
    );
    expect(hairpin.stdout.split("\r\n\r\n")[1]).to.equal(token);

    const chain = containerChain(network, "a");
    const rules = (await run("iptables", ["-t", "nat", "-S", chain])).stdout;
    expect(rules).to.include(
      `-A ${chain} -d ${sub}.1/32 -p udp -m udp --dport ${udpPort} -m comment --comment "name: \\"${network}\\" id: \\"a\\"" -j DNAT --to-destination ${sub}.2:53`,
    );
    expect(rules).to.include(`-s 127.0.0.1/32 -p tcp -m tcp --dport ${port}`);
    expect(rules).to.include(`-s ${sub}.0/24 -p tcp -m tcp --dport ${port}`);
    const jumps = (await ownLines("a")).filter((l) => l.startsWith("-A CNI-HOSTPORT-DNAT"));
    expect(jumps).to.have.length(2);

    await exec("CHECK", { cid: "a", mappings: added.at(-1)?.mappings });
    await exec("DEL", { cid: "a" });
  });

  it("CHECK fails once a DNAT rule is gone, a repeated ADD repairs it, and without mappings it passes", async () => {
    const port = await freePort();
    const call = {
      cid: "check",
      mappings: [{ hostPort: port, containerPort: 8080, protocol: "tcp" as const }],
    };
    await exec("ADD", call);
    await exec("CHECK", call);
    const chain = containerChain(network, "check");
    const dnat = (await run("iptables", ["-t", "nat", "-S", chain])).stdout
      .split("\n")
      .find((l) => l.includes("-j DNAT"));
    await run("iptables", ["-t", "nat", "-D", ...tokenize(dnat ?? "").slice(1)]);
    const err = await failure(exec("CHECK", call));
    expect(err.code).to.equal(101);
    expect(err.details).to.include(`--dport ${port}`);
    await exec("CHECK", { cid: "check", mappings: [] });

    await exec("ADD", call);
    await exec("CHECK", call);
    expect((await ownLines("check")).filter((l) => l.includes(" -j DNAT "))).to.have.length(1);
    expect(await get("127.0.0.1", port)).to.equal(token);
    await exec("DEL", call);
  });

  it("DEL removes the chain and its jumps (the port is refused again); repeats and DEL without prevResult or netns succeed", async () => {
    const port = await freePort();
    const call = {
      cid: "del",
      mappings: [{ hostPort: port, containerPort: 8080, protocol: "tcp" as const }],
    };
    await exec("ADD", call);
    expect(await get("127.0.0.1", port)).to.equal(token);
    await exec("DEL", call);
    const chain = containerChain(network, "del");
    expect(await ownLines("del")).to.deep.equal([]);
    expect(await natLines(chain)).to.deep.equal([]);
    expect(await connectError("127.0.0.1", port)).to.equal("ECONNREFUSED");
    await exec("DEL", call);
    await exec("DEL", { cid: "del", prevResult: null, netns: "" });
    // The shared chains go with the last container chain (ours or the reference plugin's).
    const nat = await natLines("");
    if (!nat.some((l) => l.startsWith(":CNI-DN-"))) {
      expect(nat.filter((l) => l.includes("CNI-HOSTPORT"))).to.deep.equal([]);
    }
  });

  it("ADD without mappings passes prevResult through with no rules; without prevResult it fails with code 7", async () => {
    expect(await exec("ADD", { cid: "none", mappings: [] })).to.deep.equal(prevResult());
    expect(await exec("ADD", { cid: "none2" })).to.deep.equal(prevResult());
    expect(await ownLines("none")).to.deep.equal([]);
    expect(await ownLines("none2")).to.deep.equal([]);
    const err = await failure(
      exec("ADD", {
        cid: "noprev",
        prevResult: null,
        mappings: [{ hostPort: 1, containerPort: 1, protocol: "tcp" }],
      }),
    );
    expect(err.code).to.equal(7);
    expect(err.details).to.include("prevResult");
    const bad = await failure(
      exec("ADD", {
        cid: "bad",
        mappings: [{ hostPort: 70000, containerPort: 1, protocol: "tcp" }],
      }),
    );
    expect(bad.code).to.equal(7);
    expect(bad.details).to.include("runtimeConfig.portMappings[0].hostPort");
  });

  it("GC removes this network's chains of attachments not in the valid list, keeping valid ones and other networks'", async () => {
    const [keepPort, dropPort, otherPort] = [await freePort(), await freePort(), await freePort()];
    const m = (hostPort: number): PortMapping[] => [
      { hostPort, containerPort: 8080, protocol: "tcp" },
    ];
    await exec("ADD", { cid: "keep", mappings: m(keepPort) });
    await exec("ADD", { cid: "drop", mappings: m(dropPort) });
    await exec("ADD", { cid: "drop", net: otherNetwork, mappings: m(otherPort) });
    const chains = async () =>
      (await natLines(""))
        .filter((l) => l.startsWith(":CNI-DN-"))
        .map((l) => l.slice(1).split(" ")[0]);

    await exec("GC", {
      cid: "",
      prevResult: null,
      extra: { "cni.dev/valid-attachments": [{ containerID: "keep", ifname: "eth0" }] },
    });
    const left = await chains();
    expect(left).to.include(containerChain(network, "keep"));
    expect(left).to.not.include(containerChain(network, "drop"));
    expect(left).to.include(containerChain(otherNetwork, "drop"));
    expect(await get("127.0.0.1", keepPort)).to.equal(token);
    expect(await get("127.0.0.1", otherPort)).to.equal(token);
    expect(await connectError("127.0.0.1", dropPort)).to.equal("ECONNREFUSED");

    await exec("DEL", { cid: "keep" });
    await exec("DEL", { cid: "drop", net: otherNetwork });
    expect(await natLines(network)).to.deep.equal([]);
    expect(await natLines(otherNetwork)).to.deep.equal([]);
  });

  it("coexists with the reference portmap: each DELs its own; berth-portmap also DELs a chain the reference made", async () => {
    const [refPort, ownPort] = [await freePort(), await freePort()];
    const m = (hostPort: number): PortMapping[] => [
      { hostPort, containerPort: 8080, protocol: "tcp" },
    ];
    const refResult = { ...prevResult(), cniVersion: "1.0.0" };
    await exec("ADD", {
      plugin: "portmap",
      cid: "ref",
      mappings: m(refPort),
      prevResult: refResult,
    });
    await exec("ADD", { cid: "own", mappings: m(ownPort) });
    expect(await get("127.0.0.1", refPort)).to.equal(token);
    expect(await get("127.0.0.1", ownPort)).to.equal(token);

    await exec("DEL", { cid: "own" });
    expect(await connectError("127.0.0.1", ownPort)).to.equal("ECONNREFUSED");
    expect(await get("127.0.0.1", refPort)).to.equal(token);

    await exec("DEL", { cid: "ref", prevResult: null });
    expect(await natLines(containerChain(network, "ref"))).to.deep.equal([]);
    expect(await connectError("127.0.0.1", refPort)).to.equal("ECONNREFUSED");
    await exec("DEL", {
      plugin: "portmap",
      cid: "ref",
      mappings: m(refPort),
      prevResult: refResult,
    });
  });

  it("concurrent ADDs and DELs of different containers each take effect; shared entry rules exist once", async () => {
    const ports = await Promise.all(Array.from({ length: 6 }, () => freePort()));
    const calls = ports.map((hostPort, i) => ({
      cid: `par${i}`,
      mappings: [{ hostPort, containerPort: 8080, protocol: "tcp" as const }],
    }));
    await Promise.all(calls.map((call) => exec("ADD", call)));
    for (const call of calls) await exec("CHECK", call);
    const nat = await natLines("");
    for (const chain of ["PREROUTING", "OUTPUT"]) {
      expect(
        nat.filter((l) => l.startsWith(`-A ${chain} `) && l.endsWith("-j CNI-HOSTPORT-DNAT")),
      ).to.have.length(1);
    }
    expect(
      nat.filter((l) => l.startsWith("-A POSTROUTING ") && l.endsWith("-j CNI-HOSTPORT-MASQ")),
    ).to.have.length(1);
    expect(await get("127.0.0.1", ports[5])).to.equal(token);
    await Promise.all(calls.map((call) => exec("DEL", call)));
    for (const call of calls) expect(await ownLines(call.cid)).to.deep.equal([]);
  });

  it("answers VERSION with 1.1.0 and STATUS with success", async () => {
    const version = (await exec("VERSION", { cid: "v", prevResult: null })) as {
      supportedVersions: string[];
    };
    expect(version.supportedVersions).to.include("1.1.0");
    expect(await exec("STATUS", { cid: "", prevResult: null })).to.equal(undefined);
  });
});

function readSysctl(iface: string, key: string): string {
  return readFileSync(`/proc/sys/net/ipv4/conf/${iface}/${key}`, "utf8").trim();
}

/** nat table lines (iptables-save) that mention `text`. */
async function natLines(text: string): Promise<string[]> {
  const { stdout } = await run("iptables-save", ["-t", "nat"]);
  return stdout.split("\n").filter((l) => !l.startsWith("#") && l.includes(text));
}

/** nat table lines tagged with one attachment's comment. */
function ownLines(cid: string, net = network): Promise<string[]> {
  return natLines(`name: \\"${net}\\" id: \\"${cid}\\"`);
}

/** Last resort if a DEL failed: this suite's jumps, then the chains they led to. */
async function removeLeftoverRules(): Promise<void> {
  const chains = new Set<string>();
  for (const name of [network, otherNetwork]) {
    for (const line of await natLines(name)) {
      const args = tokenize(line).slice(1);
      if (args[0].startsWith("CNI-DN-")) chains.add(args[0]);
      else await run("iptables", ["-t", "nat", "-D", ...args]).catch(() => undefined);
    }
  }
  for (const chain of chains) {
    await run("iptables", ["-t", "nat", "-F", chain]).catch(() => undefined);
    await run("iptables", ["-t", "nat", "-X", chain]).catch(() => undefined);
  }
}

/** A /24 of 10.243.0.0/16 with no address or route on this host. */
async function freeSubnet(): Promise<string> {
  const used =
    (await run("ip", ["-o", "-4", "addr"])).stdout + (await run("ip", ["-4", "route"])).stdout;
  for (;;) {
    const third = randomInt(0, 256);
    if (!used.includes(`10.243.${third}.`)) return `10.243.${third}`;
  }
}

/** A random high port nothing listens on, TCP or UDP (a mapping captures it from every local client). */
async function freePort(): Promise<number> {
  const { stdout } = await run("ss", ["-Htanu"]);
  const used = new Set(stdout.split("\n").map((l) => Number(l.split(/\s+/)[4]?.split(":").pop())));
  for (;;) {
    const port = randomInt(20_000, 60_000);
    if (used.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "0.0.0.0", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

function get(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: "/hello", timeout: 3000 }, (res) => {
      let body = "";
      res.on("data", (b: Buffer) => (body += b.toString()));
      res.on("end", () => resolve(body));
    });
    req.on("timeout", () => req.destroy(new Error(`timeout on ${host}:${port}`)));
    req.on("error", reject);
  });
}

/** The error code of a TCP connection attempt (undefined if it connects). */
function connectError(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(3000, () =>
      socket.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })),
    );
    socket.on("connect", () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.on("error", (err: NodeJS.ErrnoException) => resolve(err.code));
  });
}
