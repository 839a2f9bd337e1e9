import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { ensureBuiltinBusybox } from "../../agent/images/builtin/builtin-image.js";
import { ImageStore } from "../../agent/images/image-store.js";
import { chainIds } from "../../agent/images/digest.js";
import { requireIntegration } from "../support/prerequisites.js";
import { tempDir } from "../support/temp-dir.js";

describe("built-in busybox image (berth up's first image, made offline)", function () {
  let base: ReturnType<typeof tempDir> | undefined;

  before(function () {
    requireIntegration(this, ["busybox"]);
    base = tempDir("builtin-image");
  });
  after(() => base?.remove());

  it("imports berth.local/busybox:stable from the host's busybox with every applet linked", async () => {
    const root = path.join(base!.path, "root");
    const store = await ImageStore.open(root);
    const record = await ensureBuiltinBusybox(store);
    expect(record.repoTags).to.deep.equal(["berth.local/busybox:stable"]);
    expect(record.layers).to.have.length(1);
    const [chain] = chainIds(record.diffIds);
    const fsDir = store.paths.snapshotFs(chain);
    expect(await fs.readlink(path.join(fsDir, "bin/sh"))).to.equal("busybox");
    expect(await fs.readlink(path.join(fsDir, "usr/bin/wget"))).to.equal("../../bin/busybox");
    expect((await fs.stat(path.join(fsDir, "tmp"))).mode & 0o7777).to.equal(0o1777);
    expect(await fs.readFile(path.join(fsDir, "etc/passwd"), "utf8")).to.match(/^root:x:0:0:/);
  });

  it("keeps the same image on a second run instead of importing again", async () => {
    const store = await ImageStore.open(path.join(base!.path, "root"));
    const before = await store.list();
    const again = await ensureBuiltinBusybox(store);
    expect(again.id).to.equal(before[0].id);
    expect(await store.list()).to.deep.equal(before);
  });

  it("says what is missing when there is no busybox", async () => {
    const store = await ImageStore.open(path.join(base!.path, "root2"));
    const err = await ensureBuiltinBusybox(store, { busyboxPath: "/nonexistent/busybox" }).catch(
      (e: Error) => e,
    );
    expect((err as Error).message).to.equal(
      "/nonexistent/busybox: no busybox binary there (Debian: busybox-static)",
    );
    expect(await store.list()).to.deep.equal([]);
  });
});
