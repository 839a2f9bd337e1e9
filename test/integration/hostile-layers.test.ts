import { expect } from "chai";
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chainIds } from "../../agent/images/digest.js";
import { ImageStore } from "../../agent/images/image-store.js";
import { importImages } from "../../agent/images/import/import-image.js";
import { isBerthError } from "../../lib/errors.js";
import { canaryState, plantCanary, type CanaryState } from "../fixtures/canary.js";
import { writeDockerArchive } from "../fixtures/docker-archive-writer.js";
import { buildImage } from "../fixtures/fixture-image.js";
import {
  blobCases,
  contentCases,
  dockerCases,
  harmless,
  layers,
  type DockerEntry,
  type Hostile,
} from "../fixtures/hostile-archives.js";
import { writeOciLayout } from "../fixtures/oci-layout-writer.js";
import { mountOverlay, unmount } from "../fixtures/overlay-mount.js";
import { emptyStore, storeContents } from "../fixtures/store-inspection.js";
import { tarDirectory } from "../fixtures/tar-directory.js";
import { charDevice, dir, file, hardlink, symlink, whiteout } from "../fixtures/tar-layer.js";
import { requireIntegration } from "../support/prerequisites.js";
import { tempDir } from "../support/temp-dir.js";

const importWorker = fileURLToPath(new URL("../fixtures/import-worker.js", import.meta.url));

describe("hostile image archives (root)", function () {
  this.timeout(60_000);
  let work: { path: string; remove: () => void };
  let canary: { path: string; remove: () => void };
  let store: ImageStore;
  let canaryBefore: CanaryState;

  before(function () {
    requireIntegration(this, ["setfattr", "getfattr", "mount"]);
  });

  beforeEach(async () => {
    work = tempDir("hostile");
    canary = tempDir("canary");
    await plantCanary(canary.path);
    canaryBefore = await canaryState(canary.path);
    store = await ImageStore.open(path.join(work.path, "store"));
  });

  afterEach(() => {
    work?.remove();
    canary?.remove();
  });

  /** `identified` is what must name the image: its name, or for a tar, the archive path. */
  async function expectRejectedCleanly(
    archive: string,
    identified: string[],
    names: string[],
  ): Promise<void> {
    const err = await importImages(store, archive).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(
      isBerthError(err, "InvalidArgument"),
      `expected an InvalidArgument error, got ${String(err)}`,
    ).to.equal(true);
    const message = (err as Error).message;
    expect(
      identified.some((i) => message.includes(i)),
      `${message} names none of ${identified}`,
    ).to.equal(true);
    for (const name of names) expect(message).to.include(name);

    expect(await canaryState(canary.path)).to.deep.equal(canaryBefore);
    expect(await fs.readdir(work.path)).to.deep.equal(
      ["archive" + path.extname(archive), "store"].sort(),
    );

    expect(await store.list()).to.deep.equal([]);
    expect(await storeContents(store)).to.deep.equal(emptyStore);
    expect(await store.usage()).to.deep.equal({ bytes: 0, inodes: 0 });
  }

  async function ociArchive(c: Hostile, slug: string, asTar: boolean) {
    const image = (c.image ?? buildImage)(await c.layers(canary.path));
    const layout = path.join(work.path, asTar ? "layout.d" : "archive");
    await writeOciLayout(layout, [{ image, refNames: [`hostile.test/evil:${slug}`] }]);
    await c.tamper?.(layout, image);
    if (!asTar) return { archive: layout, image };
    const archive = path.join(work.path, "archive.tar");
    await tarDirectory(layout, archive);
    await fs.rm(layout, { recursive: true });
    return { archive, image };
  }

  describe("layers that write outside the snapshot", () => {
    contentCases.forEach((c, i) => {
      it(`rejects ${c.what} (OCI layout)`, async () => {
        const { archive, image } = await ociArchive(c, `content-${i}`, false);
        await expectRejectedCleanly(
          archive,
          [`hostile.test/evil:content-${i}`],
          c.names(canary.path, image),
        );
      });

      it(`rejects ${c.what} (docker-archive tar)`, async () => {
        const image = buildImage(await c.layers(canary.path));
        const dirPath = path.join(work.path, "archive.d");
        await writeDockerArchive(dirPath, [{ image, repoTags: [`hostile.test/evil:docker-${i}`] }]);
        const archive = path.join(work.path, "archive.tar");
        await tarDirectory(dirPath, archive);
        await fs.rm(dirPath, { recursive: true });
        await expectRejectedCleanly(
          archive,
          [`hostile.test/evil:docker-${i}`],
          c.names(canary.path, image),
        );
      });
    });
  });

  describe("archives whose blobs lie", () => {
    blobCases.forEach((c, i) => {
      for (const asTar of [false, true]) {
        it(`rejects ${c.what} (OCI layout ${asTar ? "tar" : "dir"})`, async () => {
          const { archive, image } = await ociArchive(c, `blob-${i}`, asTar);
          // A tar's blobs are verified as they stream by, before its index.json names the image.
          const identified = [`hostile.test/evil:blob-${i}`, ...(asTar ? [archive] : [])];
          await expectRejectedCleanly(archive, identified, c.names(canary.path, image));
        });
      }
    });
  });

  describe("docker-archives whose manifest.json lies", () => {
    dockerCases.forEach((c, i) => {
      for (const asTar of [false, true]) {
        it(`rejects ${c.what} (docker-archive ${asTar ? "tar" : "dir"})`, async () => {
          const name = `hostile.test/evil:docker-blob-${i}`;
          const image = (c.image ?? buildImage)(await layers(harmless));
          const dirPath = path.join(work.path, asTar ? "archive.d" : "archive");
          await writeDockerArchive(dirPath, [{ image, repoTags: [name] }]);
          const [entry] = JSON.parse(
            await fs.readFile(path.join(dirPath, "manifest.json"), "utf8"),
          ) as DockerEntry[];
          await c.tamper?.(dirPath, entry);
          let archive = dirPath;
          if (asTar) {
            archive = path.join(work.path, "archive.tar");
            await tarDirectory(dirPath, archive);
            await fs.rm(dirPath, { recursive: true });
          }
          await expectRejectedCleanly(archive, [name], c.names(image));
        });
      }
    });
  });

  it("rejects a truncated gzip layer without crashing the importing process", async () => {
    const truncated = blobCases.find((c) => c.what.startsWith("a truncated gzip")) as Hostile;
    const { archive } = await ociArchive(truncated, "crash", false);

    const result = await runImportWorker(store.paths.root, archive);

    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(
      /^InvalidArgument: image hostile.test\/evil:crash layer 0 .*unexpected end of file\n$/,
    );
    expect(await storeContents(store)).to.deep.equal(emptyStore);
  });

  describe("links that stay inside the root", () => {
    let mnt = "";

    afterEach(async () => {
      if (mnt) await unmount(mnt);
      mnt = "";
    });

    it("writes through a relative symlink, in the same layer and from a layer above, into its target", async () => {
      const image = buildImage(
        await layers(
          [dir("usr"), dir("usr/lib"), symlink("lib", "usr/lib"), file("lib/same-layer", "same\n")],
          [
            file("lib/upper-layer", "upper\n"),
            symlink("etc", "./usr/../usr/lib"),
            file("etc/through-dots", "dots\n"),
          ],
        ),
      );
      const layout = path.join(work.path, "archive");
      await writeOciLayout(layout, [{ image, refNames: ["hostile.test/benign:latest"] }]);

      const [record] = await importImages(store, layout);

      mnt = path.join(work.path, "mnt");
      await fs.mkdir(mnt);
      await mountOverlay(store.snapshots.lowerDirs(chainIds(record.diffIds)), mnt);
      expect((await fs.readdir(path.join(mnt, "usr/lib"))).sort()).to.deep.equal([
        "same-layer",
        "through-dots",
        "upper-layer",
      ]);
      expect(await fs.readlink(path.join(mnt, "lib"))).to.equal("usr/lib");
      expect(await fs.readFile(path.join(mnt, "usr/lib/upper-layer"), "utf8")).to.equal("upper\n");
      expect(await canaryState(canary.path)).to.deep.equal(canaryBefore);
    });

    it("drops what a layer wrote under a directory it then replaced by a symlink out of the root", async () => {
      const note = { pax: { "SCHILY.xattr.user.pwned": "yes" }, mtime: new Date(0) };
      const image = buildImage(
        await layers([
          dir("d"),
          file("d/keep", "x", note),
          charDevice("d/node", 1, 3),
          whiteout("d/gone"),
          symlink("d", canary.path),
        ]),
      );
      const layout = path.join(work.path, "archive");
      await writeOciLayout(layout, [{ image, refNames: ["hostile.test/replaced:latest"] }]);

      const [record] = await importImages(store, layout);

      expect(await canaryState(canary.path)).to.deep.equal(canaryBefore);
      const top = store.snapshots.lowerDirs(chainIds(record.diffIds))[0];
      expect(await fs.readdir(top)).to.deep.equal(["d"]);
      expect(await fs.readlink(path.join(top, "d"))).to.equal(canary.path);
    });

    it("copies a lower layer's symlink up as a symlink when a layer hardlinks to it, never the file it points to", async () => {
      const keep = path.join(canary.path, "keep");
      const image = buildImage(await layers([symlink("s", keep)], [hardlink("x", "s")]));
      const layout = path.join(work.path, "archive");
      await writeOciLayout(layout, [{ image, refNames: ["hostile.test/benign:latest"] }]);

      const [record] = await importImages(store, layout);

      const top = store.snapshots.lowerDirs(chainIds(record.diffIds))[0];
      const [s, x] = await Promise.all([
        fs.lstat(path.join(top, "s")),
        fs.lstat(path.join(top, "x")),
      ]);
      expect(x.isSymbolicLink()).to.equal(true);
      expect(x.ino).to.equal(s.ino);
      expect(await fs.readlink(path.join(top, "x"))).to.equal(keep);
    });
  });
});

function runImportWorker(root: string, archive: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [importWorker, root, archive], (err, _stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? -1) : 0, stderr });
    });
  });
}
