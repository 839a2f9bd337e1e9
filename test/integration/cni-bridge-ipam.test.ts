import { expect } from "chai";
import { spawn } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { run } from "../../lib/exec.js";
import { execPlugin, type PluginEnv } from "../../cni/exec/exec-plugin.js";
import { CniError } from "../../cni/spec/errors.js";
import type { CniCommand, CniResult } from "../../cni/spec/types.js";
import {
  iptablesRestore,
  iptablesSave,
  parseChainComment,
  ruleArg,
  type SavedRule,
} from "../../cni/plugins/common/iptables.js";
import { requireIntegration } from "../support/prerequisites.js";
import { tempDir } from "../support/temp-dir.js";

const binDir = fileURLToPath(new URL("../../../cni/bin/", import.meta.url));
const berthBridge = `${binDir}berth-bridge`;
const berthHostLocal = `${binDir}berth-host-local`;
const searchPath = [binDir, "/usr/lib/cni"];

describe("berth-bridge + berth-host-local plugins", function () {
  this.timeout(240_000);
  const id = randomBytes(3).toString("hex");
  // A random /24 block of 10.242.0.0/16 (this suite's range), so parallel runs do not collide.
  const third = randomInt(0, 50) * 5;
  const subnet = (k: number) => `10.242.${third + k}`;
  const network = `berth-test-br${id}`;
  const refNetwork = `berth-test-ref${id}`;
  const bridge = `btbb${id}`;
  const refBridge = `btbr${id}`;
  const namespaces: string[] = [];
  const bridges = new Set<string>([bridge]);
  let data: ReturnType<typeof tempDir>;
  let nsCount = 0;

  before(function () {
    requireIntegration(this, ["ip", "nsenter", "flock", "iptables-save", "busybox"]);
    data = tempDir("cni-bridge");
  });

  after(async () => {
    for (const ns of namespaces) await run("ip", ["netns", "del", ns]).catch(() => undefined);
    for (const b of bridges) {
      if (existsSync(`/sys/class/net/${b}`)) await run("ip", ["link", "del", b]);
    }
    await removeNatRules([network, refNetwork]);
    data?.remove();
  });

  function conf(extra: Record<string, unknown> = {}, ipam: Record<string, unknown> = {}) {
    return {
      cniVersion: "1.1.0",
      name: network,
      type: "berth-bridge",
      bridge,
      isGateway: true,
      isDefaultGateway: true,
      ipMasq: true,
      hairpinMode: true,
      dns: { nameservers: [`${subnet(4)}.53`], search: ["svc.test"] },
      ...extra,
      ipam: {
        type: "berth-host-local",
        ranges: [[{ subnet: `${subnet(0)}.0/24` }]],
        routes: [{ dst: `${subnet(4)}.0/24` }],
        dataDir: data.path,
        ...ipam,
      },
    };
  }

  async function newNetns(): Promise<string> {
    const name = `berth-test-${id}-${nsCount++}`;
    await run("ip", ["netns", "add", name]);
    namespaces.push(name);
    return `/run/netns/${name}`;
  }

  function call(
    command: CniCommand,
    config: object,
    env: { containerId?: string; netns?: string; ifname?: string },
    binary = berthBridge,
  ): Promise<unknown> {
    const pluginEnv: PluginEnv = { command, ifname: "eth0", ...env, path: searchPath };
    return execPlugin(binary, config, pluginEnv);
  }

  const add = async (config: object, containerId: string, netns: string) =>
    (await call("ADD", config, { containerId, netns })) as CniResult;
  const del = (config: object, containerId: string, netns: string, prevResult?: CniResult) =>
    call("DEL", { ...config, ...(prevResult ? { prevResult } : {}) }, { containerId, netns });
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error("expected the plugin to fail");
      },
      (err: unknown) => {
        expect(err).to.be.instanceOf(CniError);
        return err as CniError;
      },
    );

  const addressFiles = (net = network) =>
    readdirSafe(`${data.path}/${net}`).filter((n) => /^\d+\.\d+\.\d+\.\d+$/.test(n));
  const inNs = (netns: string, ...args: string[]) =>
    run("nsenter", [`--net=${netns}`, "--", ...args]).then((r) => r.stdout);
  const podIp = (r: CniResult) => r.ips![0].address.split("/")[0];
  const natRulesOf = async (net: string) =>
    (await iptablesSave("nat")).rules.filter(
      (r) => parseChainComment(ruleArg(r, "--comment") ?? "")?.network === net,
    );
  const bridgePorts = async (name: string) =>
    JSON.parse((await run("ip", ["-json", "link", "show", "master", name])).stdout || "[]") as {
      ifname: string;
    }[];

  it("ADD returns the reference bridge's result shape and wires the pod", async () => {
    const ns = await newNetns();
    const refNs = await newNetns();
    bridges.add(refBridge);
    const ours = await add({ ...conf(), cniVersion: "1.0.0" }, `shape${id}`, ns);
    const refConf = {
      ...conf({ name: refNetwork, type: "bridge", bridge: refBridge }, { type: "host-local" }),
      cniVersion: "1.0.0",
      ipam: {
        type: "host-local",
        ranges: [[{ subnet: `${subnet(1)}.0/24` }]],
        routes: [{ dst: `${subnet(4)}.0/24` }],
        dataDir: data.path,
      },
    };
    const ref = (await call(
      "ADD",
      refConf,
      {
        containerId: `shape${id}`,
        netns: refNs,
      },
      "/usr/lib/cni/bridge",
    )) as CniResult;
    try {
      // The same JSON shape: keys, interface order, interface index, routes and dns.
      const shape = (r: CniResult, b: string, net: string, sandbox: string) =>
        JSON.parse(
          JSON.stringify(r)
            .replaceAll(b, "<bridge>")
            .replaceAll(net, "<net>")
            .replaceAll(sandbox, "<netns>")
            .replace(/veth[0-9a-f]{8}/g, "<veth>")
            .replace(/([0-9a-f]{2}:){5}[0-9a-f]{2}/g, "<mac>"),
        ) as unknown;
      expect(shape(ours, bridge, subnet(0), ns)).to.deep.equal(
        shape(ref, refBridge, subnet(1), refNs),
      );
      expect(ours).to.deep.include({
        cniVersion: "1.0.0",
        ips: [{ interface: 2, address: `${subnet(0)}.2/24`, gateway: `${subnet(0)}.1` }],
        routes: [{ dst: `${subnet(4)}.0/24` }, { dst: "0.0.0.0/0", gw: `${subnet(0)}.1` }],
        dns: { nameservers: [`${subnet(4)}.53`], search: ["svc.test"] },
      });
      const [brIf, hostIf, podIf] = ours.interfaces!;
      expect(brIf.name).to.equal(bridge);
      expect(podIf).to.include({ name: "eth0", sandbox: ns });

      // Reality matches the result.
      const podLink = JSON.parse(await inNs(ns, "ip", "-json", "addr", "show", "dev", "eth0"))[0];
      expect(podLink.address).to.equal(podIf.mac);
      expect(podLink.addr_info.map((a: { local: string }) => a.local)).to.include(`${subnet(0)}.2`);
      const routes = await inNs(ns, "ip", "route");
      expect(routes).to.match(new RegExp(`default via ${subnet(0)}\\.1 dev eth0`));
      expect(routes).to.match(new RegExp(`${subnet(4)}\\.0/24 via ${subnet(0)}\\.1 dev eth0`));
      const host = JSON.parse(
        (await run("ip", ["-json", "-details", "link", "show", "dev", hostIf.name])).stdout,
      )[0];
      expect(host.master).to.equal(bridge);
      expect(host.address).to.equal(hostIf.mac);
      expect(host.linkinfo.info_slave_data.hairpin).to.equal(true);
      expect((await run("ip", ["-br", "addr", "show", "dev", bridge])).stdout).to.include(
        `${subnet(0)}.1/24`,
      );
      const masq = await natRulesOf(network);
      expect(masq.map((r) => r.line.replace(/CNI-[0-9a-f]+/, "<chain>"))).to.have.members([
        `POSTROUTING -s ${subnet(0)}.2/32 -m comment --comment "name: \\"${network}\\" id: \\"shape${id}\\"" -j <chain>`,
        `<chain> -d ${subnet(0)}.0/24 -m comment --comment "name: \\"${network}\\" id: \\"shape${id}\\"" -j ACCEPT`,
        `<chain> ! -d 224.0.0.0/4 -m comment --comment "name: \\"${network}\\" id: \\"shape${id}\\"" -j MASQUERADE`,
      ]);
      // The reference plugin's rules for the same attachment look the same.
      const ruleShape = (rules: SavedRule[], net: string, sub: string) =>
        rules
          .map((r) =>
            r.line
              .replace(/CNI-[0-9a-f]{24}/g, "<chain>")
              .replaceAll(net, "<net>")
              .replaceAll(sub, "<sub>"),
          )
          .sort();
      expect(ruleShape(masq, network, subnet(0))).to.deep.equal(
        ruleShape(await natRulesOf(refNetwork), refNetwork, subnet(1)),
      );
    } finally {
      await del({ ...conf(), cniVersion: "1.0.0" }, `shape${id}`, ns, ours);
      await call(
        "DEL",
        { ...refConf, prevResult: ref },
        { containerId: `shape${id}`, netns: refNs },
        "/usr/lib/cni/bridge",
      );
    }
    expect(addressFiles()).to.deep.equal([]);
    expect(await natRulesOf(network)).to.deep.equal([]);
  });

  it("carries TCP between two pods over the bridge, and from the host to a pod", async () => {
    const [nsA, nsB] = [await newNetns(), await newNetns()];
    const a = await add(conf(), `tcpa${id}`, nsA);
    const b = await add(conf(), `tcpb${id}`, nsB);
    try {
      expect(await exchange(nsA, podIp(a), nsB)).to.equal("got-ping");
      expect(await exchange(nsA, podIp(a), undefined)).to.equal("got-ping");
      expect(await exchange(nsB, podIp(b), nsA)).to.equal("got-ping");
    } finally {
      await del(conf(), `tcpa${id}`, nsA);
      await del(conf(), `tcpb${id}`, nsB);
    }
  });

  it("gives 20 concurrent ADDs 20 distinct addresses", async () => {
    const nss = await Promise.all(Array.from({ length: 20 }, () => newNetns()));
    const results = await Promise.all(nss.map((ns, i) => add(conf(), `par${i}${id}`, ns)));
    try {
      const ips = results.map(podIp);
      expect(new Set(ips).size).to.equal(20);
      expect(new Set(results.map((r) => r.interfaces![1].name)).size).to.equal(20);
      expect(addressFiles()).to.have.length(20);
      expect(await bridgePorts(bridge)).to.have.length(20);
    } finally {
      await Promise.all(nss.map((ns, i) => del(conf(), `par${i}${id}`, ns)));
    }
    expect(addressFiles()).to.deep.equal([]);
    expect(await bridgePorts(bridge)).to.deep.equal([]);
    expect(await natRulesOf(network)).to.deep.equal([]);
  });

  it("leaves no address, veth, route or rule after 200 ADD/DEL cycles", async () => {
    const lanes = await Promise.all(Array.from({ length: 4 }, () => newNetns()));
    const ourHostRoutes = async () =>
      (await run("ip", ["route"])).stdout
        .split("\n")
        .filter((l) => l.includes(bridge) || l.includes("veth"))
        .join("\n");
    const hostRoutesBefore = await ourHostRoutes();
    await Promise.all(
      lanes.map(async (ns, lane) => {
        for (let i = 0; i < 50; i++) {
          const cid = `cyc${lane}x${i}${id}`;
          const r = await add(conf(), cid, ns);
          expect(r.ips).to.have.length(1);
          await del(conf(), cid, ns, r);
        }
      }),
    );
    expect(addressFiles()).to.deep.equal([]);
    expect(await bridgePorts(bridge)).to.deep.equal([]);
    expect(await natRulesOf(network)).to.deep.equal([]);
    for (const ns of lanes) {
      expect((await inNs(ns, "ip", "-o", "link")).trim().split("\n")).to.have.length(1); // lo only
      expect((await inNs(ns, "ip", "route")).trim()).to.equal("");
    }
    expect(await ourHostRoutes()).to.equal(hostRoutesBefore);
  });

  it("succeeds on a repeated DEL, and on DEL without prevResult or netns", async () => {
    const ns = await newNetns();
    const r = await add(conf(), `deltwice${id}`, ns);
    await del(conf(), `deltwice${id}`, ns, r);
    await del(conf(), `deltwice${id}`, ns, r);
    await del(conf(), `deltwice${id}`, ns);
    await call("DEL", conf(), { containerId: `deltwice${id}` });
    expect(addressFiles()).to.deep.equal([]);
  });

  it("frees the address and the masquerade chain on DEL after the netns is gone", async () => {
    const ns = await newNetns();
    const r = await add(conf(), `gone${id}`, ns);
    expect(addressFiles()).to.deep.equal([podIp(r)]);
    await run("ip", ["netns", "del", ns.split("/").pop()!]);
    await del(conf(), `gone${id}`, ns, r);
    expect(addressFiles()).to.deep.equal([]);
    expect(await natRulesOf(network)).to.deep.equal([]);
    expect(existsSync(`/sys/class/net/${r.interfaces![1].name}`)).to.equal(false);
  });

  it("CHECK passes on a healthy attachment and names what broke", async () => {
    const ns = await newNetns();
    const cid = `check${id}`;
    const r = await add(conf(), cid, ns);
    const check = () =>
      call("CHECK", { ...conf(), prevResult: r }, { containerId: cid, netns: ns });
    try {
      await check();
      await inNs(ns, "ip", "route", "del", "default");
      expect((await failure(check())).message).to.match(/route to 0\.0\.0\.0\/0 via .* is missing/);
      await inNs(ns, "ip", "route", "add", "default", "via", `${subnet(0)}.1`, "dev", "eth0");
      await check();
      rmSync(`${data.path}/${network}/${podIp(r)}`);
      expect((await failure(check())).message).to.match(/is not reserved for/);
      writeFileSync(`${data.path}/${network}/${podIp(r)}`, `${cid}\r\neth0`);
      await check();
      await run("ip", ["link", "set", "dev", r.interfaces![1].name, "nomaster"]);
      expect((await failure(check())).message).to.match(/not attached to/);
      await inNs(ns, "ip", "link", "del", "eth0");
      expect((await failure(check())).message).to.match(/interface eth0 is missing/);
    } finally {
      await del(conf(), cid, ns, r);
    }
  });

  it("GC releases the addresses and masquerade chains of attachments not in the valid list", async () => {
    const nss = [await newNetns(), await newNetns(), await newNetns()];
    const cids = ["keep", "drop1", "drop2"].map((c) => `${c}${id}`);
    const results = await Promise.all(nss.map((ns, i) => add(conf(), cids[i], ns)));
    try {
      await call(
        "GC",
        { ...conf(), "cni.dev/valid-attachments": [{ containerID: cids[0], ifname: "eth0" }] },
        {
          containerId: undefined,
          ifname: undefined,
        },
      );
      expect(addressFiles()).to.deep.equal([podIp(results[0])]);
      const left = await natRulesOf(network);
      expect(left).to.have.length(3);
      expect(left.every((r) => ruleArg(r, "--comment")!.includes(cids[0]))).to.equal(true);
    } finally {
      await Promise.all(nss.map((ns, i) => del(conf(), cids[i], ns)));
    }
    expect(await natRulesOf(network)).to.deep.equal([]);
  });

  it("reports STATUS 50 when the range is exhausted", async () => {
    const ipam = { ranges: [[{ subnet: `${subnet(2)}.0/30` }]] }; // only .2 is free
    const small = `btbs${id}`;
    bridges.add(small);
    const ns = await newNetns();
    await call("STATUS", conf({ bridge: small }, ipam), {});
    const r = await add(conf({ bridge: small }, ipam), `full${id}`, ns);
    try {
      const err = await failure(call("STATUS", conf({ bridge: small }, ipam), {}));
      expect(err.code).to.equal(50);
      expect(err.message).to.match(/has no free address/);
      const ns2 = await newNetns();
      expect(
        (await failure(add(conf({ bridge: small }, ipam), `full2${id}`, ns2))).message,
      ).to.match(/no IP addresses available/);
      expect(await bridgePorts(small)).to.have.length(1);
    } finally {
      await del(conf({ bridge: small }, ipam), `full${id}`, ns, r);
    }
  });

  it("host-local hands out a requested IP (ips capability or CNI_ARGS IP=) only when free", async () => {
    const ipam = conf({}, { ranges: [[{ subnet: `${subnet(2)}.0/24` }]] });
    const hostLocal = (cid: string, extra: object, args?: Record<string, string>) =>
      execPlugin(
        berthHostLocal,
        { ...ipam, ...extra },
        {
          command: "ADD",
          containerId: cid,
          netns: "/unused",
          ifname: "eth0",
          args,
          path: searchPath,
        },
      ) as Promise<CniResult>;
    const a = await hostLocal(`req1${id}`, { runtimeConfig: { ips: [`${subnet(2)}.77/24`] } });
    const b = await hostLocal(`req2${id}`, {}, { IgnoreUnknown: "1", IP: `${subnet(2)}.78` });
    try {
      expect(a.ips).to.deep.equal([{ address: `${subnet(2)}.77/24`, gateway: `${subnet(2)}.1` }]);
      expect(b.ips![0].address).to.equal(`${subnet(2)}.78/24`);
      const taken = await failure(hostLocal(`req3${id}`, {}, { IP: `${subnet(2)}.77` }));
      expect(taken.message).to.match(/requested IP address .*\.77 is not available/);
      const outside = await failure(hostLocal(`req3${id}`, {}, { IP: "10.242.255.255" }));
      expect(outside.message).to.match(/not in any configured range/);
      expect(addressFiles().sort()).to.deep.equal([`${subnet(2)}.77`, `${subnet(2)}.78`]);
    } finally {
      for (const cid of [`req1${id}`, `req2${id}`]) {
        await execPlugin(berthHostLocal, ipam, {
          command: "DEL",
          containerId: cid,
          ifname: "eth0",
          path: searchPath,
        });
      }
    }
    expect(addressFiles()).to.deep.equal([]);
  });

  describe("bad configurations fail cleanly", () => {
    const freshBridge = `btbx${id}`;
    let ns: string;
    before(async () => {
      ns = await newNetns();
      bridges.add(freshBridge);
    });
    afterEach(async () => {
      // Nothing half-attached: no interface in the netns, no bridge, no address, no rule.
      expect((await inNs(ns, "ip", "-o", "link")).trim().split("\n")).to.have.length(1);
      expect(existsSync(`/sys/class/net/${freshBridge}`)).to.equal(false);
      expect(addressFiles()).to.deep.equal([]);
      expect(await natRulesOf(network)).to.deep.equal([]);
    });

    it("rejects malformed JSON with a decode error", async () => {
      const { stdout, code } = await run(berthBridge, [], {
        input: '{"cniVersion": "1.1.0", "name": ',
        okCodes: [1],
        env: {
          ...process.env,
          CNI_COMMAND: "ADD",
          CNI_CONTAINERID: `bad${id}`,
          CNI_NETNS: ns,
          CNI_IFNAME: "eth0",
          CNI_PATH: searchPath.join(":"),
        },
      });
      expect(code).to.equal(1);
      const body = JSON.parse(stdout) as { code: number; msg: string };
      expect(body.code).to.equal(6);
      expect(body.msg).to.equal("config is not JSON");
    });

    it("rejects overlapping ranges with code 7 before touching anything", async () => {
      const err = await failure(
        add(
          conf(
            { bridge: freshBridge },
            { ranges: [[{ subnet: `${subnet(3)}.0/24` }], [{ subnet: `${subnet(3)}.128/25` }]] },
          ),
          `bad${id}`,
          ns,
        ),
      );
      expect(err.code).to.equal(7);
      expect(err.message).to.match(/range set 1 .* overlaps range set 0/);
    });

    it("rejects an unknown IPAM type, naming it", async () => {
      const err = await failure(
        add(conf({ bridge: freshBridge }, { type: "berth-no-such-ipam" }), `bad${id}`, ns),
      );
      expect(err.code).to.equal(7);
      expect(err.message).to.match(/plugin "berth-no-such-ipam" not found/);
    });

    it("undoes the IPAM reservation when the interface cannot be made", async () => {
      await inNs(ns, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0peer");
      try {
        const err = await failure(add(conf({ bridge: freshBridge }), `bad${id}`, ns));
        expect(err.message).to.match(/cannot set up/);
      } finally {
        await inNs(ns, "ip", "link", "del", "eth0");
      }
      await run("ip", ["link", "del", freshBridge]).catch(() => undefined);
    });
  });

  /** One request/response over TCP: a listener in `serverNs`, a client in `clientNs` (or the host). */
  async function exchange(
    serverNs: string,
    ip: string,
    clientNs: string | undefined,
  ): Promise<string> {
    const port = "8080";
    const server = spawn(
      "nsenter",
      [
        `--net=${serverNs}`,
        "--",
        "busybox",
        "nc",
        "-l",
        "-p",
        port,
        "-e",
        "/bin/busybox",
        "sh",
        "-c",
        "read x; echo got-$x",
      ],
      { stdio: "ignore" },
    );
    try {
      for (let attempt = 0; attempt < 50; attempt++) {
        const client = clientNs
          ? ["nsenter", [`--net=${clientNs}`, "--", "busybox", "nc", "-w", "2", ip, port]]
          : ["busybox", ["nc", "-w", "2", ip, port]];
        const out = await run(client[0] as string, client[1] as string[], {
          input: "ping\n",
          timeoutMs: 5000,
        }).catch(() => undefined);
        if (out?.stdout.trim()) return out.stdout.trim();
        await new Promise((r) => setTimeout(r, 100));
      }
      return "";
    } finally {
      server.kill("SIGKILL");
    }
  }
});

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Last-resort teardown: every nat chain and jump a test network of this run left behind. */
async function removeNatRules(networks: string[]): Promise<void> {
  const saved = await iptablesSave("nat");
  const ours = saved.rules.filter((r) =>
    networks.includes(parseChainComment(ruleArg(r, "--comment") ?? "")?.network ?? ""),
  );
  const chains = new Set(ours.filter((r) => r.chain !== "POSTROUTING").map((r) => r.chain));
  const lines = [
    ...ours.filter((r) => r.chain === "POSTROUTING").map((r) => `-D ${r.line}`),
    ...[...chains].flatMap((c) => [`-F ${c}`, `-X ${c}`]),
  ];
  await iptablesRestore("test teardown", "nat", lines);
}
