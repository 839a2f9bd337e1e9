import { expect } from "chai";
import { spawn } from "node:child_process";
import { promises as fs, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chainIds, type Digest } from "../../agent/images/digest.js";
import type { ImageRecord } from "../../agent/images/image-records.js";
import { ImageStore } from "../../agent/images/image-store.js";
import { importImages } from "../../agent/images/import/import-image.js";
import { run } from "../../lib/exec.js";
import {
  busyboxBaseLayer,
  busyboxMultiLayer,
  busyboxOneLayer,
  passwd,
  upperTime,
} from "../fixtures/busybox-image.js";
import { buildImage, makeLayer, sha256, type FixtureImage } from "../fixtures/fixture-image.js";
import { archiveForms, writeImageArchive } from "../fixtures/image-archive.js";
import { buildLargeImage, largeImageRef } from "../fixtures/large-image.js";
import { mountOverlay, unmount } from "../fixtures/overlay-mount.js";
import { emptyStore, storeContents } from "../fixtures/store-inspection.js";
import { dir, file, fixtureTime } from "../fixtures/tar-layer.js";
import { requireIntegration } from "../support/prerequisites.js";
import { tempDir } from "../support/temp-dir.js";

const importWorker = fileURLToPath(new URL("../fixtures/import-worker.js", import.meta.url));
const busyboxTags = ["docker.io/library/busybox:1.35", "docker.io/library/busybox:latest"];

/** A fresh store in a temp dir per test, with every mount a test makes undone before the dir goes. */
function useStore(name: string) {
  const ctx = { work: "", store: undefined as unknown as ImageStore, mounts: [] as string[] };
  let remove = () => {};
  beforeEach(async () => {
    const t = tempDir(name);
    remove = t.remove;
    ctx.work = t.path;
    ctx.mounts = [];
    ctx.store = await ImageStore.open(path.join(t.path, "store"));
  });
  afterEach(async () => {
    try {
      for (const m of ctx.mounts.reverse()) await unmount(m);
    } finally {
      remove();
    }
  });
  return ctx;
}

async function mountImage(ctx: ReturnType<typeof useStore>, record: ImageRecord) {
  const mnt = path.join(ctx.work, `mnt-${ctx.mounts.length}`);
  await fs.mkdir(mnt);
  ctx.mounts.push(mnt);
  await mountOverlay(ctx.store.snapshots.lowerDirs(chainIds(record.diffIds)), mnt);
  return mnt;
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await fs.readFile(file, "utf8")) as T;
}

interface OciIndex {
  manifests: { digest: Digest; size: number; annotations?: Record<string, string> }[];
}
interface OciManifest {
  config: { digest: Digest; size: number };
  layers: { digest: Digest; size: number }[];
}

describe("image store (root, real overlayfs)", function () {
  this.timeout(120_000);

  before(function () {
    requireIntegration(this, ["skopeo", "umoci", "getfattr", "setfattr", "mount", "tar"]);
  });

  describe("importing busybox from the project's own archives", () => {
    const ctx = useStore("image-import");

    for (const form of archiveForms) {
      it(`records the image from a ${form} with its id, every tag, repo digest and size`, async () => {
        const image = await busyboxOneLayer();
        const archive = await writeImageArchive(form, path.join(ctx.work, "busybox"), [
          { image, names: ["busybox:latest", "busybox:1.35"] },
        ]);

        await importImages(ctx.store, archive);

        const [record, ...others] = await ctx.store.list();
        expect(others).to.deep.equal([]);
        expect(record.id).to.equal(image.config.digest);
        expect([...record.repoTags].sort()).to.deep.equal(busyboxTags);
        expect(record.diffIds).to.deep.equal([image.layers[0].diffId]);
        expect(record.repoDigests).to.deep.equal([
          `docker.io/library/busybox@${record.manifest.digest}`,
        ]);
        if (form.startsWith("oci")) {
          expect(record.manifest.digest).to.equal(image.manifest.digest);
          expect(record.size).to.equal(image.size);
        } else {
          // A docker-archive has no registry manifest: the store writes one over the stored layer tars.
          const manifest = await ctx.store.content.read(record.manifest.digest);
          expect(sha256(manifest)).to.equal(record.manifest.digest);
          expect(JSON.parse(manifest.toString()).config.digest).to.equal(image.config.digest);
          expect(record.layers.map((l) => l.digest)).to.deep.equal([image.layers[0].diffId]);
          expect(record.size).to.equal(
            manifest.length + image.config.size + image.layers[0].tar.length,
          );
        }
      });
    }

    it("completes bare tags in an OCI layout with the repository given as name", async () => {
      const image = await busyboxOneLayer({ gzip: true });
      const archive = await writeImageArchive("oci-dir", path.join(ctx.work, "bare"), [
        { image, names: ["latest", "1.35"] },
      ]);

      await importImages(ctx.store, archive, { name: "busybox" });

      const [record] = await ctx.store.list();
      expect([...record.repoTags].sort()).to.deep.equal(busyboxTags);
      expect(record.repoDigests).to.deep.equal([
        `docker.io/library/busybox@${image.manifest.digest}`,
      ]);
    });

    it("keeps a registry with a port in the repository name", async () => {
      const image = await busyboxOneLayer();
      const archive = await writeImageArchive("docker-tar", path.join(ctx.work, "port"), [
        { image, names: ["localhost:5000/team/busybox:dev"] },
      ]);

      await importImages(ctx.store, archive);

      const [record] = await ctx.store.list();
      expect(record.repoTags).to.deep.equal(["localhost:5000/team/busybox:dev"]);
      expect(record.repoDigests).to.deep.equal([
        `localhost:5000/team/busybox@${record.manifest.digest}`,
      ]);
    });
  });

  describe("importing images written by other tools", () => {
    const ctx = useStore("image-tools");
    let ours = "";

    beforeEach(async () => {
      ours = await writeImageArchive("oci-dir", path.join(ctx.work, "ours"), [
        { image: await busyboxMultiLayer({ gzip: true }), names: ["busybox:latest"] },
      ]);
    });

    it("imports what `skopeo copy` writes as an OCI layout", async () => {
      const theirs = path.join(ctx.work, "skopeo-oci");
      await run("skopeo", ["copy", "-q", `oci:${ours}:busybox:latest`, `oci:${theirs}:latest`]);
      const entry = (await readJson<OciIndex>(path.join(theirs, "index.json"))).manifests[0];
      const manifest = await readJson<OciManifest>(
        path.join(theirs, "blobs", "sha256", entry.digest.slice(7)),
      );

      await importImages(ctx.store, theirs, { name: "busybox" });

      const record = await ctx.store.find("busybox");
      expect(record?.id).to.equal(manifest.config.digest);
      expect(record?.repoTags).to.deep.equal(["docker.io/library/busybox:latest"]);
      expect(record?.repoDigests).to.deep.equal([`docker.io/library/busybox@${entry.digest}`]);
      expect(record?.size).to.equal(
        entry.size + manifest.config.size + manifest.layers.reduce((n, l) => n + l.size, 0),
      );
    });

    it("imports what `skopeo copy` writes as a docker-archive", async () => {
      const theirs = path.join(ctx.work, "skopeo.tar");
      await run("skopeo", [
        "copy",
        "-q",
        `oci:${ours}:busybox:latest`,
        `docker-archive:${theirs}:busybox:latest`,
      ]);
      const unpacked = path.join(ctx.work, "skopeo-unpacked");
      await fs.mkdir(unpacked);
      await run("tar", ["-xf", theirs, "-C", unpacked]);
      const [entry] = await readJson<{ Config: string; RepoTags: string[]; Layers: string[] }[]>(
        path.join(unpacked, "manifest.json"),
      );
      const config = await fs.readFile(path.join(unpacked, entry.Config));
      const layerBytes = await Promise.all(
        entry.Layers.map(async (l) => (await fs.stat(path.join(unpacked, l))).size),
      );

      await importImages(ctx.store, theirs);

      const record = await ctx.store.find("busybox:latest");
      expect(record?.id).to.equal(sha256(config));
      expect(record?.repoTags).to.deep.equal(entry.RepoTags);
      expect(record?.repoDigests).to.deep.equal([
        `docker.io/library/busybox@${record?.manifest.digest}`,
      ]);
      expect(record?.size).to.equal(
        (record?.manifest.size ?? 0) + config.length + layerBytes.reduce((a, b) => a + b, 0),
      );
    });

    it("imports an image umoci built around busybox, and its files are busybox's", async () => {
      const layout = path.join(ctx.work, "umoci");
      const bundle = path.join(ctx.work, "umoci-bundle");
      await run("umoci", ["init", "--layout", layout]);
      await run("umoci", ["new", "--image", `${layout}:1.0`]);
      await run("umoci", ["unpack", "--image", `${layout}:1.0`, bundle]);
      await fs.mkdir(path.join(bundle, "rootfs", "bin"));
      await fs.copyFile("/bin/busybox", path.join(bundle, "rootfs", "bin", "busybox"));
      await fs.chmod(path.join(bundle, "rootfs", "bin", "busybox"), 0o755);
      await fs.symlink("busybox", path.join(bundle, "rootfs", "bin", "sh"));
      await run("umoci", ["repack", "--image", `${layout}:1.0`, bundle]);
      await run("umoci", ["config", "--image", `${layout}:1.0`, "--config.cmd", "/bin/sh"]);
      const entry = (await readJson<OciIndex>(path.join(layout, "index.json"))).manifests[0];
      const manifest = await readJson<OciManifest>(
        path.join(layout, "blobs", "sha256", entry.digest.slice(7)),
      );

      await importImages(ctx.store, layout, { name: "localhost/umoci/busybox" });

      const record = (await ctx.store.find("localhost/umoci/busybox:1.0")) as ImageRecord;
      expect(record.id).to.equal(manifest.config.digest);
      expect(record.repoTags).to.deep.equal(["localhost/umoci/busybox:1.0"]);
      expect(record.repoDigests).to.deep.equal([`localhost/umoci/busybox@${entry.digest}`]);
      expect(record.size).to.equal(
        entry.size + manifest.config.size + manifest.layers.reduce((n, l) => n + l.size, 0),
      );
      const mnt = await mountImage(ctx, record);
      expect(await fs.readFile(path.join(mnt, "bin", "busybox"))).to.deep.equal(
        readFileSync("/bin/busybox"),
      );
      expect(await fs.readlink(path.join(mnt, "bin", "sh"))).to.equal("busybox");
    });
  });

  for (const gzip of [false, true]) {
    describe(`the multi-layer busybox image${gzip ? " (gzip layers)" : ""} as an overlay mount`, () => {
      let work: { path: string; remove: () => void } | undefined;
      let mnt = "";
      const at = (rel: string) => path.join(mnt, rel);

      before(async () => {
        work = tempDir("image-overlay");
        const store = await ImageStore.open(path.join(work.path, "store"));
        const archive = await writeImageArchive("oci-tar", path.join(work.path, "multi"), [
          { image: await busyboxMultiLayer({ gzip }), names: ["busybox:multi"] },
        ]);
        const [record] = await importImages(store, archive);
        mnt = path.join(work.path, "mnt");
        await fs.mkdir(mnt);
        await mountOverlay(store.snapshots.lowerDirs(chainIds(record.diffIds)), mnt);
      });

      after(async () => {
        try {
          if (mnt) await unmount(mnt);
        } finally {
          work?.remove();
        }
      });

      it("hides what a whiteout deletes, files and symlinks alike", async () => {
        expect(await exists(at("etc/motd"))).to.equal(false);
        expect(await exists(at("bin/cat"))).to.equal(false);
        expect(await fs.readlink(at("bin/ls"))).to.equal("busybox");
      });

      it("shows a replaced file's new content", async () => {
        expect(await fs.readFile(at("etc/issue"), "utf8")).to.equal("Berth upper\n");
        expect(await fs.readFile(at("etc/passwd"), "utf8")).to.equal(passwd);
      });

      it("shows a directory replaced by a file, and a file replaced by a directory", async () => {
        expect(await fs.readFile(at("opt/tool"), "utf8")).to.equal(
          "a directory replaced by a file\n",
        );
        expect((await fs.lstat(at("srv/data"))).isDirectory()).to.equal(true);
        expect(await fs.readdir(at("srv/data"))).to.deep.equal(["inner"]);
      });

      it("shows only the upper layers' content in an opaque directory", async () => {
        expect((await fs.readdir(at("var/lib/app"))).sort()).to.deep.equal(["c", "d"]);
      });

      it("keeps ownership and modes: setuid, setgid, sticky, private", async () => {
        const mode = async (rel: string) => (await fs.lstat(at(rel))).mode & 0o7777;
        expect(await mode("usr/bin/setuid-tool")).to.equal(0o4755);
        expect(await mode("usr/bin/setgid-tool")).to.equal(0o2755);
        expect(await mode("tmp")).to.equal(0o1777);
        expect(await mode("root")).to.equal(0o700);
        expect(await mode("bin/busybox")).to.equal(0o755);
        const home = await fs.lstat(at("home/berth"));
        expect([home.uid, home.gid, home.mode & 0o7777]).to.deep.equal([1000, 1000, 0o750]);
        const profile = await fs.lstat(at("home/berth/.profile"));
        expect([profile.uid, profile.gid, profile.mode & 0o7777]).to.deep.equal([
          1000, 1000, 0o600,
        ]);
        expect((await fs.lstat(at("usr/bin/setgid-tool"))).gid).to.equal(1000);
      });

      it("keeps each layer's mtimes", async () => {
        const mtime = async (rel: string) => (await fs.lstat(at(rel))).mtime.getTime();
        expect(await mtime("bin/busybox")).to.equal(fixtureTime.getTime());
        expect(await mtime("etc/passwd")).to.equal(fixtureTime.getTime());
        expect(await mtime("home/berth")).to.equal(fixtureTime.getTime());
        expect(await mtime("etc/issue")).to.equal(upperTime.getTime());
        expect(await mtime("etc")).to.equal(upperTime.getTime());
        expect(await mtime("var/lib/app/d")).to.equal(upperTime.getTime());
      });

      it("keeps user xattrs", async () => {
        const { stdout } = await run("getfattr", [
          "--only-values",
          "-n",
          "user.berth.note",
          at("etc/labelled"),
        ]);
        expect(stdout).to.equal("kept");
      });

      it("keeps hardlinks as one inode", async () => {
        const original = await fs.lstat(at("bin/busybox"));
        const link = await fs.lstat(at("usr/bin/busybox-hardlink"));
        expect(link.ino).to.equal(original.ino);
        expect(original.nlink).to.equal(2);
      });

      it("runs busybox from the merged root", async () => {
        const { stdout } = await run("chroot", [mnt, "/bin/sh", "-c", "ls /var/lib/app; id -un"]);
        expect(stdout).to.equal("c\nd\nroot\n");
      });
    });
  }

  describe("images sharing a base layer", () => {
    const ctx = useStore("image-shared");

    it("keeps one image whole when the other goes, and frees everything when both go", async () => {
      const empty = await ctx.store.usage();
      const multi = await busyboxMultiLayer();
      const app = buildImage([
        await busyboxBaseLayer(),
        await makeLayer([dir("app"), file("app/hello", "hello from app\n", { mode: 0o755 })]),
      ]);
      const archive = await writeImageArchive("oci-dir", path.join(ctx.work, "two"), [
        { image: multi, names: ["busybox:multi"] },
        { image: app, names: ["example.com/app:1"] },
      ]);
      await importImages(ctx.store, archive);
      expect(chainIds(multi.layers.map((l) => l.diffId))[0]).to.equal(
        chainIds(app.layers.map((l) => l.diffId))[0],
      );

      expect((await ctx.store.remove("busybox:multi"))?.id).to.equal(multi.config.digest);

      const kept = (await ctx.store.find("example.com/app:1")) as ImageRecord;
      expect(kept.id).to.equal(app.config.digest);
      expect(await blobsOf(ctx.store)).to.have.members(blobDigests(app));
      expect(await ctx.store.snapshots.list()).to.have.members(chainIds(kept.diffIds));
      const mnt = await mountImage(ctx, kept);
      expect(await fs.readFile(path.join(mnt, "app/hello"), "utf8")).to.equal("hello from app\n");
      expect(await fs.readFile(path.join(mnt, "bin/busybox"))).to.deep.equal(
        readFileSync("/bin/busybox"),
      );
      await unmount(mnt);

      await ctx.store.remove("example.com/app:1");

      expect(await ctx.store.list()).to.deep.equal([]);
      expect(await ctx.store.usage()).to.deep.equal(empty);
      expect(await storeContents(ctx.store)).to.deep.equal(emptyStore);
    });
  });

  describe("finding and removing images", () => {
    const ctx = useStore("image-find");
    let image: FixtureImage;

    beforeEach(async () => {
      image = await busyboxOneLayer();
      const archive = await writeImageArchive("oci-dir", path.join(ctx.work, "busybox"), [
        { image, names: ["busybox:latest", "busybox:1.35"] },
      ]);
      await importImages(ctx.store, archive);
    });

    it("finds an image by tag, by name alone (:latest), by repo digest, by id and by unique id prefix", async () => {
      const id = image.config.digest;
      const refs = [
        "busybox:1.35",
        "docker.io/library/busybox:latest",
        "busybox",
        `busybox@${image.manifest.digest}`,
        id,
        id.slice(7),
        id.slice(7, 19),
        id.slice(0, 19),
      ];
      for (const ref of refs) expect((await ctx.store.find(ref))?.id, ref).to.equal(id);
      expect(await ctx.store.find("busybox:1.36")).to.equal(undefined);
      expect(await ctx.store.find("alpine")).to.equal(undefined);
    });

    it("removes an image with all its tags, and a second remove finds nothing", async () => {
      expect((await ctx.store.remove("busybox:1.35"))?.id).to.equal(image.config.digest);
      expect(await ctx.store.find("busybox:latest")).to.equal(undefined);
      expect(await ctx.store.remove("busybox:1.35")).to.equal(undefined);
      expect(await storeContents(ctx.store)).to.deep.equal(emptyStore);
    });
  });

  describe("concurrent and interrupted imports", () => {
    const ctx = useStore("image-crash");

    it("stores an image once when two imports of it run at once in one process", async () => {
      const image = await busyboxMultiLayer({ gzip: true });
      const a = await writeImageArchive("oci-tar", path.join(ctx.work, "a"), [
        { image, names: ["busybox:latest"] },
      ]);
      const b = await writeImageArchive("docker-dir", path.join(ctx.work, "b"), [
        { image, names: ["busybox:1.35"] },
      ]);

      await Promise.all([
        importImages(ctx.store, a),
        importImages(ctx.store, a),
        importImages(ctx.store, b),
      ]);

      const [record, ...others] = await ctx.store.list();
      expect(others).to.deep.equal([]);
      expect([...record.repoTags].sort()).to.deep.equal(busyboxTags);
      expect(await ctx.store.snapshots.list()).to.have.members(chainIds(record.diffIds));
    });

    it("stores an image once when two processes import it at once", async () => {
      const image = await busyboxMultiLayer();
      const archive = await writeImageArchive("oci-dir", path.join(ctx.work, "busybox"), [
        { image, names: ["busybox:latest"] },
      ]);
      const root = ctx.store.paths.root;

      const results = await Promise.all([runWorker(root, archive), runWorker(root, archive)]);

      expect(results.map((r) => [r.code, r.stderr])).to.deep.equal([
        [0, ""],
        [0, ""],
      ]);
      const [record, ...others] = await ctx.store.list();
      expect(others).to.deep.equal([]);
      expect(record.id).to.equal(image.config.digest);
      expect(await blobsOf(ctx.store)).to.have.members(blobDigests(image));
      expect(await ctx.store.snapshots.list()).to.have.members(chainIds(record.diffIds));
    });

    it("shows nothing of an import killed mid-way; a retry succeeds and gc leaves no scratch", async () => {
      const layout = path.join(ctx.work, "large");
      const { image } = await buildLargeImage(layout);
      const root = ctx.store.paths.root;

      const worker = startWorker(root, layout);
      let killed: WorkerResult;
      try {
        await waitFor(async () =>
          (await fs.readdir(ctx.store.paths.leases)).some((n) => n.endsWith(".json")),
        );
        await sleep(300);
      } finally {
        worker.child.kill("SIGKILL");
        killed = await worker.done;
      }

      expect(killed.signal, `the import finished before it was killed: ${killed.stdout}`).to.equal(
        "SIGKILL",
      );
      expect(await ctx.store.list()).to.deep.equal([]);

      const [record] = await importImages(ctx.store, layout);
      expect(record.repoTags).to.deep.equal([largeImageRef]);
      expect(await ctx.store.find(largeImageRef)).to.deep.include({ id: image.config.digest });

      await ctx.store.gc();

      const left = await storeContents(ctx.store);
      expect(left.ingest).to.deep.equal([]);
      expect(left.leases).to.deep.equal([]);
      expect(left.metadataScratch).to.deep.equal([]);
      expect(left.snapshots.sort()).to.deep.equal(
        chainIds(record.diffIds)
          .map((c) => c.slice(7))
          .sort(),
      );
      expect(left.blobs.sort()).to.deep.equal(
        blobDigests(image)
          .map((d) => d.slice(7))
          .sort(),
      );
      const mnt = await mountImage(ctx, record);
      expect((await fs.readdir(path.join(mnt, "data"))).sort()).to.deep.equal(
        [0, 1, 2, 3, 4].map((i) => `layer${i}`),
      );
    });
  });
});

async function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    () => false,
  );
}

function blobDigests(image: FixtureImage): Digest[] {
  return [image.manifest.digest, image.config.digest, ...image.layers.map((l) => l.digest)];
}

async function blobsOf(store: ImageStore): Promise<Digest[]> {
  return (await store.content.list()).map((b) => b.digest);
}

interface WorkerResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function startWorker(root: string, archive: string, name?: string) {
  const child = spawn(process.execPath, [importWorker, root, archive, ...(name ? [name] : [])], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<WorkerResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

function runWorker(root: string, archive: string, name?: string): Promise<WorkerResult> {
  return startWorker(root, archive, name).done;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}
