import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { resolveSubPath } from "../../../../../agent/kubelet/volumes/sub-path.js";
import { tempDir } from "../../../../support/temp-dir.js";

describe("volume subPath", () => {
  let dir: ReturnType<typeof tempDir>;
  let volume: string;
  beforeEach(async () => {
    dir = tempDir("sub-path");
    volume = path.join(dir.path, "vol");
    await fs.mkdir(volume);
    await fs.chmod(volume, 0o2775);
  });
  afterEach(() => dir.remove());

  const field = "spec.containers[0].volumeMounts[1].subPath";

  it("creates a missing subPath with the volume's mode and returns its real path", async () => {
    const p = await resolveSubPath(volume, "a/b", field);
    expect(p).to.equal(path.join(await fs.realpath(volume), "a/b"));
    expect((await fs.stat(p)).mode & 0o7777).to.equal(0o2775);
  });

  it("returns an existing file as is", async () => {
    await fs.writeFile(path.join(volume, "conf"), "x");
    expect(await resolveSubPath(volume, "conf", field)).to.equal(
      path.join(await fs.realpath(volume), "conf"),
    );
  });

  it("refuses '..' and a symlink that leads out of the volume", async () => {
    await fs.symlink(dir.path, path.join(volume, "out"));
    for (const sub of ["../x", "out", "out/new-dir"]) {
      let message = "";
      await resolveSubPath(volume, sub, field).catch((err: Error) => (message = err.message));
      expect(message, sub).to.match(/outside its volume|'\.\.'/);
    }
    await fs.access(path.join(dir.path, "new-dir")).then(
      () => expect.fail("created outside the volume"),
      () => undefined,
    );
  });
});
