import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { writableLayerUsage } from "../../../../agent/runtime/stats/writable-layer-usage.js";
import { tempDir } from "../../../support/temp-dir.js";

describe("writable layer usage", () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir("layer-usage");
  });
  afterEach(() => dir.remove());

  async function blocksOf(...files: string[]): Promise<number> {
    let bytes = 0;
    for (const f of files) bytes += (await fs.lstat(f)).blocks * 512;
    return bytes;
  }

  it("counts the disk blocks and inodes of every entry, the dir itself included", async () => {
    const upper = path.join(dir.path, "upper");
    await fs.mkdir(path.join(upper, "etc"), { recursive: true });
    await fs.writeFile(path.join(upper, "etc", "a"), Buffer.alloc(64 * 1024, 1));
    await fs.symlink("etc/a", path.join(upper, "link"));
    const u = await writableLayerUsage(upper);
    expect(u?.inodesUsed).to.equal(4);
    const files = ["", "etc", "etc/a", "link"].map((f) => path.join(upper, f));
    expect(u?.usedBytes).to.equal(await blocksOf(...files));
    expect(u?.usedBytes).to.be.at.least(64 * 1024);
    const minuteAgo = BigInt(Date.now() - 60_000) * 1_000_000n;
    expect(BigInt(u!.timestamp) > minuteAgo, "timestamp in ns").to.equal(true);
  });

  it("counts a hardlinked file once", async () => {
    const upper = dir.path;
    await fs.writeFile(path.join(upper, "big"), Buffer.alloc(256 * 1024, 1));
    const before = await writableLayerUsage(upper);
    await fs.link(path.join(upper, "big"), path.join(upper, "again"));
    const after = await writableLayerUsage(upper);
    expect(after?.inodesUsed).to.equal(before?.inodesUsed);
    expect(after?.usedBytes).to.equal(before?.usedBytes);
  });

  it("grows by the blocks of a file written into it", async () => {
    const before = await writableLayerUsage(dir.path);
    await fs.writeFile(path.join(dir.path, "f"), Buffer.alloc(1024 * 1024, 7));
    const after = await writableLayerUsage(dir.path);
    expect(after!.usedBytes - before!.usedBytes).to.be.at.least(1024 * 1024);
    expect(after!.inodesUsed - before!.inodesUsed).to.equal(1);
  });

  it("is undefined for a layer that is gone", async () => {
    expect(await writableLayerUsage(path.join(dir.path, "removed"))).to.equal(undefined);
  });
});
