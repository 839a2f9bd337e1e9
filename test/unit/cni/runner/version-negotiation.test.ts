import { expect } from "chai";
import { utimesSync } from "node:fs";
import path from "node:path";
import { CniError } from "../../../../cni/spec/errors.js";
import { attachment, rejection, runnerFixture } from "./runner-fixture.js";

describe("CniRunner version negotiation", () => {
  let f: ReturnType<typeof runnerFixture>;
  beforeEach(() => {
    f = runnerFixture();
    f.plugins.write("new", { versions: ["0.4.0", "1.0.0", "1.1.0"] });
    f.plugins.write("old", { versions: ["0.3.1", "0.4.0", "1.0.0"] });
  });
  afterEach(() => f.remove());

  it("picks the highest of cniVersions that the runner and every plugin support", async () => {
    f.writeList([{ type: "new" }, { type: "old" }], { cniVersions: ["0.4.0", "1.0.0", "1.1.0"] });
    const runner = f.runner();
    expect((await runner.network()).version).to.equal("1.0.0");
    await runner.add(attachment("c1"));
    for (const call of f.plugins.calls({ command: "ADD" })) {
      expect(call.stdin.cniVersion).to.equal("1.0.0");
      expect(call.stdin).to.not.have.property("cniVersions");
    }
  });

  it("fails with code 1 naming the plugin that supports none of cniVersions", async () => {
    f.writeList([{ type: "new" }, { type: "old" }], { cniVersions: ["1.1.0"] });
    const err = await rejection(f.runner().add(attachment("c1")));
    expect(err).to.be.instanceOf(CniError);
    expect(err).to.include({ code: 1, plugin: "old" });
    expect(err.message).to.contain('plugin "old" supports 0.3.1, 0.4.0, 1.0.0');
    expect(f.plugins.calls({ command: "ADD" })).to.deep.equal([]);
  });

  it("fails with code 1 for a cniVersion the runner does not speak", async () => {
    f.writeList([{ type: "new" }], { cniVersion: "0.2.0" });
    const err = await rejection(f.runner().network());
    expect(err).to.include({ code: 1 });
    expect(err.message).to.contain("0.2.0");
  });

  it("asks each plugin binary for its VERSION once, and again once it changes", async () => {
    f.writeList([{ type: "new" }, { type: "old" }], { cniVersions: ["1.0.0", "1.1.0"] });
    const runner = f.runner();
    await runner.network();
    await runner.network();
    expect(await runner.version("old")).to.deep.equal({
      cniVersion: "1.1.0",
      supportedVersions: ["0.3.1", "0.4.0", "1.0.0"],
    });
    expect(f.plugins.calls({ command: "VERSION" }).map((c) => c.plugin)).to.deep.equal([
      "new",
      "old",
    ]);
    f.plugins.write("old", { versions: ["1.0.0", "1.1.0"] });
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(f.plugins.bin, "old"), later, later);
    expect((await runner.network()).version).to.equal("1.1.0");
    expect(f.plugins.calls({ command: "VERSION" })).to.have.length(3);
  });
});
