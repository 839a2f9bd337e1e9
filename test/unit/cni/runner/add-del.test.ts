import { expect } from "chai";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { CniError } from "../../../../cni/spec/errors.js";
import { attachment, rejection, runnerFixture } from "./runner-fixture.js";

const resultA = { cniVersion: "1.0.0", interfaces: [{ name: "a0" }], ips: [] };
const resultB = {
  cniVersion: "1.0.0",
  interfaces: [{ name: "br0" }, { name: "eth0", sandbox: "/proc/self/ns/net" }],
  ips: [{ address: "10.9.0.2/24", interface: 1 }],
};

describe("CniRunner ADD and DEL", () => {
  let f: ReturnType<typeof runnerFixture>;
  beforeEach(() => {
    f = runnerFixture();
    f.plugins.write("a", { result: resultA });
    f.plugins.write("b", { result: resultB });
  });
  afterEach(() => f.remove());

  it("runs ADD in list order, chaining each result into the next plugin's prevResult", async () => {
    f.writeList([{ type: "a", mtu: 1400 }, { type: "b" }]);
    const result = await f
      .runner()
      .add(attachment("c1", { args: { K8S_POD_NAMESPACE: "ns", K8S_POD_NAME: "p" } }));
    expect(result).to.deep.equal(resultB);
    expect(f.plugins.sequence()).to.deep.equal(["a ADD", "b ADD"]);
    const [a, b] = f.plugins.calls({ command: "ADD" });
    expect(a.stdin).to.deep.equal({ type: "a", mtu: 1400, cniVersion: "1.0.0", name: "testnet" });
    expect(b.stdin.prevResult).to.deep.equal(resultA);
    for (const call of [a, b]) {
      expect(call).to.include({
        containerId: "c1",
        ifname: "eth0",
        netns: "/proc/self/ns/net",
        args: "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p",
        path: f.plugins.bin,
      });
    }
  });

  it("keeps a caller's own IgnoreUnknown, and sends no CNI_ARGS without args", async () => {
    f.writeList([{ type: "a" }]);
    const runner = f.runner();
    await runner.add(attachment("c1", { args: { IgnoreUnknown: "0", K: "v" } }));
    await runner.add(attachment("c2"));
    expect(f.plugins.calls({ command: "ADD" }).map((c) => c.args)).to.deep.equal([
      "IgnoreUnknown=0;K=v",
      "<unset>",
    ]);
  });

  it("passes runtimeConfig only for capabilities a plugin declares and the caller supplies", async () => {
    const portMappings = [{ hostPort: 8080, containerPort: 80, protocol: "tcp" as const }];
    f.writeList([
      { type: "a", capabilities: { portMappings: true, bandwidth: true } },
      { type: "b", capabilities: { portMappings: false }, runtimeConfig: { forged: 1 } },
    ]);
    await f.runner().add(attachment("c1", { capabilities: { portMappings, ips: ["10.9.0.9"] } }));
    const [a, b] = f.plugins.calls({ command: "ADD" });
    expect(a.stdin.runtimeConfig).to.deep.equal({ portMappings });
    expect(a.stdin).to.not.have.property("capabilities");
    expect(b.stdin).to.not.have.property("runtimeConfig");
    expect(b.stdin).to.not.have.property("capabilities");
  });

  it("persists the result libcni-style before returning, and a new runner DELs with it", async () => {
    f.writeList([{ type: "a" }, { type: "b" }]);
    const result = await f.runner().add(attachment("c1", { args: { K: "v" } }));
    const file = path.join(f.cacheDir, "testnet-c1-eth0");
    const entry = JSON.parse(readFileSync(file, "utf8"));
    expect(entry).to.include({
      kind: "cniCacheV1",
      containerId: "c1",
      ifName: "eth0",
      networkName: "testnet",
    });
    expect(entry.result).to.deep.equal(result);
    expect(entry.cniArgs).to.deep.equal([["K", "v"]]);
    expect(JSON.parse(Buffer.from(entry.config, "base64").toString()).name).to.equal("testnet");

    const restarted = f.runner();
    expect(await restarted.cachedResult("c1", "eth0")).to.deep.equal(result);
    expect(await restarted.cachedAttachments()).to.deep.equal([
      { containerID: "c1", ifname: "eth0" },
    ]);
    f.plugins.clearLog();
    await restarted.del(attachment("c1"));
    expect(f.plugins.sequence()).to.deep.equal(["b DEL", "a DEL"]);
    for (const call of f.plugins.calls({ command: "DEL" })) {
      expect(call.stdin.prevResult).to.deep.equal(result);
      expect(call.args).to.equal("IgnoreUnknown=1;K=v");
    }
    expect(existsSync(file)).to.equal(false);
    expect(await restarted.cachedResult("c1", "eth0")).to.equal(undefined);
  });

  it("records the attachment before its plugins run, so a crash mid-ADD leaves it for recovery", async () => {
    f.plugins.write("slow", { sleep: { ADD: 0.3 } });
    f.writeList([{ type: "slow" }]);
    const runner = f.runner();
    const adding = runner.add(attachment("c1"));
    await new Promise((r) => setTimeout(r, 150));
    expect(await f.runner().cachedAttachments()).to.deep.equal([
      { containerID: "c1", ifname: "eth0" },
    ]);
    expect(await f.runner().cachedResult("c1", "eth0")).to.equal(undefined);
    const result = await adding;
    expect(await f.runner().cachedResult("c1", "eth0")).to.deep.equal(result);
  });

  it("DELs with the config the attachment was added with, even after the conf dir changed", async () => {
    f.writeList([{ type: "a" }, { type: "b" }]);
    const runner = f.runner();
    await runner.add(attachment("c1"));
    f.writeConf("10-test.conflist", {
      cniVersion: "1.0.0",
      name: "other",
      plugins: [{ type: "b" }],
    });
    f.plugins.clearLog();
    await runner.del(attachment("c1"));
    expect(f.plugins.sequence()).to.deep.equal(["b DEL", "a DEL"]);
    expect(f.plugins.calls({ command: "DEL" })[0].stdin.name).to.equal("testnet");
  });

  it("DELs without a cache entry (no prevResult), repeatedly, and with the netns gone", async () => {
    f.writeList([{ type: "a" }, { type: "b" }]);
    const runner = f.runner();
    await runner.del(attachment("c1", { netns: "/run/netns/berth-test-gone" }));
    await runner.del(attachment("c1", { netns: "" }));
    expect(f.plugins.sequence()).to.deep.equal(["b DEL", "a DEL", "b DEL", "a DEL"]);
    for (const call of f.plugins.calls({ command: "DEL" })) {
      expect(call.stdin).to.not.have.property("prevResult");
      expect(call.netns).to.equal("");
    }
  });

  it("cleans up with DEL in reverse order when a plugin's ADD fails, and throws its error", async () => {
    f.plugins.write("c", { fail: { ADD: { code: 107, msg: "no addresses left" } } });
    f.writeList([{ type: "a" }, { type: "b" }, { type: "c" }]);
    const runner = f.runner();
    const err = await rejection(runner.add(attachment("c1")));
    expect(err).to.be.instanceOf(CniError);
    expect(err).to.include({ code: 107, msg: "no addresses left", plugin: "c" });
    expect(err.message).to.contain("c: no addresses left");
    expect(f.plugins.sequence()).to.deep.equal([
      "a ADD",
      "b ADD",
      "c ADD",
      "c DEL",
      "b DEL",
      "a DEL",
    ]);
    expect(readdirSync(f.cacheDir)).to.deep.equal([]);
  });

  it("keeps the record when the cleanup DEL fails too, so a later del() finishes the job", async () => {
    f.plugins.write("c", {
      fail: { ADD: { code: 107, msg: "boom" }, DEL: { code: 108, msg: "stuck" } },
    });
    f.writeList([{ type: "a" }, { type: "c" }]);
    const runner = f.runner();
    expect((await rejection(runner.add(attachment("c1")))).msg).to.equal("boom");
    expect(await runner.cachedAttachments()).to.deep.equal([{ containerID: "c1", ifname: "eth0" }]);
    expect(await runner.cachedResult("c1", "eth0")).to.equal(undefined);
    const err = await rejection(runner.del(attachment("c1")));
    expect(err).to.include({ code: 108, plugin: "c" });
    // The DEL went on to "a" despite "c" failing.
    expect(f.plugins.sequence().slice(-2)).to.deep.equal(["c DEL", "a DEL"]);
    f.plugins.write("c");
    await runner.del(attachment("c1"));
    expect(await runner.cachedAttachments()).to.deep.equal([]);
  });

  it("refuses a second ADD of an attachment before its DEL", async () => {
    f.writeList([{ type: "a" }]);
    const runner = f.runner();
    await runner.add(attachment("c1"));
    const err = await rejection(runner.add(attachment("c1")));
    expect(err.message).to.contain("already attached");
  });

  it("times a hung plugin out, naming it, and still cleans up", async () => {
    f.plugins.write("slow", { sleep: { ADD: 2 } });
    f.writeList([{ type: "a" }, { type: "slow" }]);
    const started = Date.now();
    const err = await rejection(f.runner(300).add(attachment("c1")));
    expect(Date.now() - started).to.be.below(3000);
    expect(err).to.be.instanceOf(CniError);
    expect(err).to.include({ code: 11, plugin: "slow" });
    expect(err.message).to.contain("timed out after 300 ms");
    expect(f.plugins.sequence().slice(-2)).to.deep.equal(["slow DEL", "a DEL"]);
  });

  it("rejects parameters no plugin could take, naming the field", async () => {
    f.writeList([{ type: "a" }]);
    const runner = f.runner();
    expect((await rejection(runner.add(attachment("-bad")))).message).to.contain("containerId");
    expect((await rejection(runner.add(attachment("c1", { ifname: "a/b" })))).message).to.contain(
      "ifname",
    );
    expect((await rejection(runner.add(attachment("c1", { netns: "" })))).message).to.contain(
      "netns",
    );
    expect(f.plugins.sequence()).to.deep.equal([]);
  });
});
