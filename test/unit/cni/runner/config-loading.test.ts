import { expect } from "chai";
import { utimesSync } from "node:fs";
import path from "node:path";
import { CniError } from "../../../../cni/spec/errors.js";
import { attachment, rejection, runnerFixture } from "./runner-fixture.js";

describe("CniRunner network config loading", () => {
  let f: ReturnType<typeof runnerFixture>;
  beforeEach(() => {
    f = runnerFixture();
    f.plugins.write("a");
  });
  afterEach(() => f.remove());

  const list = (name: string) => ({ cniVersion: "1.0.0", name, plugins: [{ type: "a" }] });

  it("uses the first .conf/.conflist/.json file in lexical order, ignoring other files", async () => {
    f.writeConf("00-notes.txt", "not a config");
    f.writeConf("20-second.conflist", list("second"));
    f.writeConf("10-first.json", list("first"));
    f.writeConf("30-third.conf", list("third"));
    const net = await f.runner().network();
    expect(net.file).to.equal(path.join(f.confDir, "10-first.json"));
    expect(net.config.name).to.equal("first");
    expect(net.version).to.equal("1.0.0");
  });

  it("wraps a bare .conf plugin object as a one-plugin list", async () => {
    f.writeConf("10-bare.conf", { cniVersion: "0.4.0", name: "bare", type: "a", mtu: 1400 });
    const net = await f.runner().network();
    expect(net.config.name).to.equal("bare");
    expect(net.config.cniVersion).to.equal("0.4.0");
    expect(net.config.plugins).to.have.length(1);
    expect(net.config.plugins[0]).to.include({ type: "a", mtu: 1400 });
  });

  it("reloads when a file is added or rewritten", async () => {
    const runner = f.runner();
    f.writeConf("50-b.conflist", list("b"));
    expect((await runner.network()).config.name).to.equal("b");
    f.writeConf("40-a.conflist", list("a"));
    expect((await runner.network()).config.name).to.equal("a");
    f.writeConf("40-a.conflist", list("a2"));
    // Same directory mtime as before: the file's own mtime must be noticed.
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(f.confDir, "40-a.conflist"), later, later);
    expect((await runner.network()).config.name).to.equal("a2");
  });

  it('fails with "no network config in <dir>" when there is none', async () => {
    const err = await rejection(f.runner().network());
    expect(err).to.be.instanceOf(CniError);
    expect(err.message).to.contain(`no network config in ${f.confDir}`);
  });

  const invalid: [string, string | object, string][] = [
    ["malformed JSON", '{"cniVersion": "1.0.0", "name": ', "malformed JSON"],
    ["a missing name", { cniVersion: "1.0.0", plugins: [{ type: "a" }] }, 'missing "name"'],
    ["no plugins", { cniVersion: "1.0.0", name: "n", plugins: [] }, "no plugins"],
    ["a plugin without type", { cniVersion: "1.0.0", name: "n", plugins: [{}] }, 'no "type"'],
    [
      "a bad plugin type",
      { cniVersion: "1.0.0", name: "n", plugins: [{ type: "../x" }] },
      'bad plugin type "../x"',
    ],
    ["no version", { name: "n", plugins: [{ type: "a" }] }, 'missing "cniVersion"'],
  ];
  for (const [what, conf, why] of invalid) {
    it(`rejects ${what} with code 7 naming the file`, async () => {
      f.writeConf("10-bad.conflist", conf);
      const err = await rejection(f.runner().network());
      expect(err).to.be.instanceOf(CniError);
      expect(err.code).to.equal(7);
      expect(err.message).to.contain(path.join(f.confDir, "10-bad.conflist"));
      expect(err.message).to.contain(why);
    });
  }

  it('names a plugin missing from the search path: plugin "x" not found', async () => {
    f.writeList([{ type: "a" }, { type: "nosuch" }]);
    const runner = f.runner();
    const err = await rejection(runner.add(attachment()));
    expect(err).to.be.instanceOf(CniError);
    expect(err.message).to.contain('plugin "nosuch" not found');
    expect((await rejection(runner.status())).message).to.contain('plugin "nosuch" not found');
  });
});
