import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { bridgePlugin } from "../../../../cni/plugins/bridge/plugin.js";
import { builtinPluginAt, builtinPluginDir, callPlugin } from "../../../../cni/plugins/builtin.js";
import { tempDir } from "../../../support/temp-dir.js";

describe("Berth's plugins run in the runner's process", () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir("builtin")));
  afterEach(() => dir.remove());

  it("recognises this installation's executables, also through a symlink", async () => {
    expect(builtinPluginAt(path.join(builtinPluginDir, "berth-bridge"))).to.equal(bridgePlugin);
    const link = path.join(dir.path, "berth-bridge");
    await fs.symlink(path.join(builtinPluginDir, "berth-bridge"), link);
    expect(builtinPluginAt(link)).to.equal(bridgePlugin);
  });

  it("leaves any other executable of the same name to be executed", async () => {
    const other = path.join(dir.path, "berth-bridge");
    await fs.writeFile(other, '#!/bin/sh\necho \'{"cniVersion":"1.0.0"}\'\n', { mode: 0o755 });
    expect(builtinPluginAt(other)).to.equal(undefined);
    expect(builtinPluginAt("/usr/lib/cni/bridge")).to.equal(undefined);
    expect(await callPlugin(other, {}, { command: "VERSION", path: [] })).to.deep.equal({
      cniVersion: "1.0.0",
    });
  });

  it("answers in process as the executable would, errors named after the plugin", async () => {
    const binary = path.join(builtinPluginDir, "berth-bridge");
    const version = await callPlugin(
      binary,
      { cniVersion: "1.0.0" },
      { command: "VERSION", path: [] },
    );
    expect(version).to.deep.include({ cniVersion: "1.0.0" });
    const err = await callPlugin(
      binary,
      { cniVersion: "1.0.0", name: "n", type: "berth-bridge" },
      { command: "ADD", containerId: "c1", ifname: "eth0", netns: "/x", path: [] },
    ).catch((e: unknown) => e);
    expect(String(err)).to.match(/^CniError: berth-bridge: .*ipam/);
  });
});
