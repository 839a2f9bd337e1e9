import { expect } from "chai";
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CniAggregateError } from "../../../../cni/runner/cni-runner.js";
import { CniError } from "../../../../cni/spec/errors.js";
import { attachment, rejection, runnerFixture } from "./runner-fixture.js";

describe("CniRunner CHECK, STATUS and GC", () => {
  let f: ReturnType<typeof runnerFixture>;
  beforeEach(() => {
    f = runnerFixture();
    f.plugins.write("a");
    f.plugins.write("b");
  });
  afterEach(() => f.remove());

  describe("CHECK", () => {
    it("runs in list order with the cached result", async () => {
      f.writeList([{ type: "a" }, { type: "b" }]);
      const runner = f.runner();
      const result = await runner.add(attachment("c1"));
      f.plugins.clearLog();
      await runner.check(attachment("c1"));
      expect(f.plugins.sequence()).to.deep.equal(["a CHECK", "b CHECK"]);
      for (const call of f.plugins.calls({ command: "CHECK" })) {
        expect(call.stdin.prevResult).to.deep.equal(result);
      }
    });

    it("fails with the failing plugin's error", async () => {
      f.plugins.write("b", { fail: { CHECK: { code: 110, msg: "eth0 is missing" } } });
      f.writeList([{ type: "a" }, { type: "b" }]);
      const runner = f.runner();
      await runner.add(attachment("c1"));
      const err = await rejection(runner.check(attachment("c1")));
      expect(err).to.include({ code: 110, plugin: "b" });
    });

    it("is skipped under disableCheck", async () => {
      f.writeList([{ type: "a" }], { disableCheck: true });
      const runner = f.runner();
      await runner.add(attachment("c1"));
      await runner.check(attachment("c1"));
      expect(f.plugins.calls({ command: "CHECK" })).to.deep.equal([]);
    });

    it("fails with code 3 when nothing is cached", async () => {
      f.writeList([{ type: "a" }]);
      const err = await rejection(f.runner().check(attachment("c9")));
      expect(err).to.be.instanceOf(CniError);
      expect(err.code).to.equal(3);
      expect(err.message).to.contain("c9/eth0");
    });
  });

  describe("STATUS", () => {
    it("asks every plugin of a 1.1.0 list, and throws a plugin's 50", async () => {
      f.writeList([{ type: "a" }, { type: "b" }], { cniVersion: "1.1.0" });
      await f.runner().status();
      expect(f.plugins.sequence()).to.deep.equal(["a STATUS", "b STATUS"]);
      f.plugins.write("b", { fail: { STATUS: { code: 50, msg: "no addresses left" } } });
      const err = await rejection(f.runner().status());
      expect(err).to.include({ code: 50, plugin: "b" });
    });

    it("skips the plugins of an older list", async () => {
      f.writeList([{ type: "a" }]);
      await f.runner().status();
      expect(f.plugins.sequence()).to.deep.equal([]);
    });

    it("reports a missing config", async () => {
      const err = await rejection(f.runner().status());
      expect(err.message).to.contain("no network config in");
    });
  });

  describe("GC", () => {
    it("runs every plugin with the valid attachments, past errors, and aggregates them", async () => {
      f.plugins.write("a", { fail: { GC: { code: 120, msg: "a broke" } } });
      f.plugins.write("c", { fail: { GC: { code: 121, msg: "c broke" } } });
      f.writeList([{ type: "a" }, { type: "b" }, { type: "c" }], { cniVersion: "1.1.0" });
      const valid = [{ containerID: "c1", ifname: "eth0" }];
      const err = await rejection(f.runner().gc(valid));
      expect(f.plugins.sequence()).to.deep.equal(["a GC", "b GC", "c GC"]);
      for (const call of f.plugins.calls({ command: "GC" })) {
        expect(call.stdin["cni.dev/valid-attachments"]).to.deep.equal(valid);
        expect(call.containerId).to.equal("<unset>");
      }
      expect(err).to.be.instanceOf(CniAggregateError);
      expect((err as unknown as CniAggregateError).errors.map((e) => e.message)).to.deep.equal([
        "a: a broke (CNI code 120)",
        "c: c broke (CNI code 121)",
      ]);
    });

    it("DELs and drops cached attachments that are not valid, keeping the valid ones", async () => {
      f.writeList([{ type: "a" }, { type: "b" }], { cniVersion: "1.1.0" });
      const runner = f.runner();
      await runner.add(attachment("keep"));
      await runner.add(attachment("stale"));
      writeFileSync(path.join(f.cacheDir, "testnet-junk-eth0"), "{not json");
      f.plugins.clearLog();
      await runner.gc([{ containerID: "keep", ifname: "eth0" }]);
      expect(f.plugins.sequence()).to.deep.equal(["b DEL", "a DEL", "a GC", "b GC"]);
      expect(f.plugins.calls({ command: "DEL" })[0].containerId).to.equal("stale");
      expect(readdirSync(f.cacheDir)).to.deep.equal(["testnet-keep-eth0"]);
    });

    it("skips plugin GC under disableGC and for lists older than 1.1.0", async () => {
      f.writeList([{ type: "a" }], { cniVersion: "1.1.0", disableGC: true });
      await f.runner().gc([]);
      f.writeList([{ type: "a" }], { cniVersion: "1.0.0", name: "older" });
      await f.runner().gc([]);
      expect(f.plugins.sequence()).to.deep.equal([]);
    });
  });
});
