import { expect } from "chai";
import { createHash } from "node:crypto";
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import type { ImageRecord } from "../../agent/images/image-records.js";
import { ImageStore } from "../../agent/images/image-store.js";
import { importImages } from "../../agent/images/import/import-image.js";
import { pushImage, type PushOptions } from "../../agent/registry/push/push-image.js";
import type { PushProgress, RegistryTransport } from "../../agent/registry/registry-api.js";
import {
  createRegistryTransport,
  type ClosableRegistryTransport,
} from "../../agent/registry/transport/create-transport.js";
import { run } from "../../lib/exec.js";
import { busyboxMultiLayer } from "../fixtures/busybox-image.js";
import { writeOciLayout } from "../fixtures/oci-layout-writer.js";
import { berthBin } from "../support/agent-process.js";
import { requireIntegration } from "../support/prerequisites.js";
import { startRegistry, type TestRegistry } from "../support/registry-server.js";
import { tempDir } from "../support/temp-dir.js";

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** The real transport, noting every request it is asked to send. */
function counting(inner: RegistryTransport): RegistryTransport & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    async request(host, req, auth) {
      sent.push({ method: req.method, url: req.path, headers: req.headers ?? {} });
      return inner.request(host, req, auth);
    },
    async requestUrl(host, url, req, auth) {
      sent.push({ method: req.method, url, headers: req.headers ?? {} });
      return inner.requestUrl(host, url, req, auth);
    },
    resolveLocation: (res, location) => inner.resolveLocation(res, location),
  };
}

const sha256File = async (file: string) =>
  `sha256:${createHash("sha256")
    .update(await fs.readFile(file))
    .digest("hex")}`;

describe("berth image push to docker-registry", function () {
  this.timeout(120_000);
  let registry: TestRegistry;
  let work: { path: string; remove: () => void };
  let store: ImageStore;
  let image: ImageRecord;
  let layout: string;
  let transport: ClosableRegistryTransport;
  const localName = "docker.io/berth-test/busybox:latest";

  before(async function () {
    requireIntegration(this, ["docker-registry", "skopeo"]);
    work = tempDir("registry-push");
    layout = path.join(work.path, "layout");
    await writeOciLayout(layout, [
      { image: await busyboxMultiLayer({ gzip: true }), refNames: [localName] },
    ]);
  });

  after(() => work?.remove());

  beforeEach(async () => {
    registry = await startRegistry();
    const root = await fs.mkdtemp(path.join(work.path, "store-"));
    store = await ImageStore.open(root);
    [image] = await importImages(store, layout);
    transport = createRegistryTransport();
  });

  afterEach(async () => {
    transport?.close();
    await registry?.stop();
  });

  async function push(target: string, options: PushOptions = {}) {
    const events: PushProgress[] = [];
    const counted = counting(transport);
    const result = await pushImage(store, counted, localName, target, {
      ...options,
      onProgress: (p) => events.push(p),
    });
    const done = events.filter((e) => e.kind === "blob-done");
    return { result, events, done, sent: counted.sent };
  }

  const blobDigests = () => [image.config.digest, ...image.layers.map((l) => l.digest)].sort();

  it("pushes an image that skopeo then sees under the same manifest digest, blob for blob", async () => {
    const target = `${registry.host}/berth/busybox:v1`;
    const { result, done } = await push(target);
    expect(result).to.deep.equal({ digest: image.manifest.digest, reference: target });
    expect(done.map((d) => d.kind === "blob-done" && d.how)).to.deep.equal(
      blobDigests().map(() => "uploaded"),
    );

    const inspected = await run("skopeo", ["inspect", "--tls-verify=false", `docker://${target}`]);
    expect(JSON.parse(inspected.stdout).Digest).to.equal(image.manifest.digest);

    const copy = path.join(work.path, `copy-${path.basename(store.paths.root)}`);
    await run("skopeo", ["copy", "--src-tls-verify=false", `docker://${target}`, `oci:${copy}:v1`]);
    const index = JSON.parse(await fs.readFile(path.join(copy, "index.json"), "utf8"));
    expect(index.manifests.map((m: { digest: string }) => m.digest)).to.deep.equal([
      image.manifest.digest,
    ]);
    const blobDir = path.join(copy, "blobs", "sha256");
    const copied = (await fs.readdir(blobDir)).map((n) => `sha256:${n}`);
    expect(copied.sort()).to.deep.equal([image.manifest.digest, ...blobDigests()].sort());
    for (const digest of copied) {
      expect(await sha256File(path.join(blobDir, digest.slice(7)))).to.equal(digest);
      expect(await sha256File(store.content.path(digest as `sha256:${string}`))).to.equal(digest);
    }
  });

  it("skips every blob the repository already has on a second push", async () => {
    const target = `${registry.host}/berth/busybox:v1`;
    await push(target);
    const again = await push(target);
    expect(again.result.digest).to.equal(image.manifest.digest);
    expect(again.done.map((d) => d.kind === "blob-done" && d.how)).to.deep.equal(
      blobDigests().map(() => "exists"),
    );
    expect(again.sent.filter((s) => s.method === "PATCH" || s.method === "POST")).to.deep.equal([]);
  });

  it("mounts the blobs from a repository on the same registry the image is named in", async () => {
    const first = `${registry.host}/berth/first:v1`;
    // Naming the image in the first repository is what tells push the blobs are there.
    await importImages(store, layout, { name: first });
    await push(first);
    const second = await push(`${registry.host}/berth/second:v1`);
    expect(second.result.digest).to.equal(image.manifest.digest);
    expect(second.done.map((d) => d.kind === "blob-done" && d.how)).to.deep.equal(
      blobDigests().map(() => "mounted"),
    );
    const posts = second.sent.filter((s) => s.method === "POST");
    expect(posts.every((p) => p.url.includes("from=berth/first"))).to.equal(true);
    expect(
      second.sent.filter((s) => s.method === "PUT" && s.url.includes("/blobs/")),
    ).to.have.length(0);
    // The registry links a mounted blob into the second repository's own layer set.
    const layers = path.join(registry.root, "data", "docker", "registry", "v2", "repositories");
    for (const digest of blobDigests()) {
      expect(
        existsSync(path.join(layers, "berth/second/_layers/sha256", digest.slice(7), "link")),
      ).to.equal(true);
    }
  });

  it("mounts from a repository given in mountFrom, and uploads when the mount is refused", async () => {
    await push(`${registry.host}/berth/source:v1`);
    const mounted = await push(`${registry.host}/berth/copy:v1`, { mountFrom: ["berth/source"] });
    expect(new Set(mounted.done.map((d) => d.kind === "blob-done" && d.how))).to.deep.equal(
      new Set(["mounted"]),
    );
    const refused = await push(`${registry.host}/berth/fresh:v1`, { mountFrom: ["berth/empty"] });
    expect(new Set(refused.done.map((d) => d.kind === "blob-done" && d.how))).to.deep.equal(
      new Set(["uploaded"]),
    );
    expect(refused.result.digest).to.equal(image.manifest.digest);
  });

  it("uploads in 64 KiB chunks and ends with the same manifest digest", async () => {
    const chunkSize = 64 * 1024;
    const target = `${registry.host}/berth/chunked:v1`;
    const { result, sent } = await push(target, { chunkSize });
    expect(result.digest).to.equal(image.manifest.digest);
    const patches = sent.filter((s) => s.method === "PATCH");
    const expected = [image.config, ...image.layers].reduce(
      (n, b) => n + Math.ceil(b.size / chunkSize),
      0,
    );
    expect(patches).to.have.length(expected);
    expect(patches.every((p) => Number(p.headers["content-length"]) <= chunkSize)).to.equal(true);
    const inspected = await run("skopeo", ["inspect", "--tls-verify=false", `docker://${target}`]);
    expect(JSON.parse(inspected.stdout).Digest).to.equal(image.manifest.digest);
    const copy = path.join(work.path, `chunked-${path.basename(store.paths.root)}`);
    await run("skopeo", ["copy", "--src-tls-verify=false", `docker://${target}`, `oci:${copy}:v1`]);
    for (const layer of image.layers) {
      expect(await sha256File(path.join(copy, "blobs", "sha256", layer.digest.slice(7)))).to.equal(
        layer.digest,
      );
    }
  });

  it("berth image push prints each blob and the digest, and fails clearly for an unknown image", async () => {
    const anyExit = Array.from({ length: 256 }, (_, i) => i);
    const root = store.paths.root;
    const target = `${registry.host}/berth/cli:v1`;
    const ok = await run(berthBin, ["image", "push", "--root", root, localName, "--to", target], {
      okCodes: anyExit,
      timeoutMs: 60_000,
    });
    expect(ok.code, ok.stderr).to.equal(0);
    const lines = ok.stdout.trim().split("\n");
    expect(lines.slice(0, -1).sort()).to.deep.equal(
      blobDigests()
        .map((d) => image.layers.find((l) => l.digest === d) ?? image.config)
        .map((b) => `${b.digest.slice(7, 19)}: uploaded ${humanSize(b.size)}`)
        .sort(),
    );
    expect(lines.at(-1)).to.equal(`${target}: digest: ${image.manifest.digest}`);

    const missing = await run(
      berthBin,
      ["image", "push", "--root", root, "no/such:image", "--to", target],
      { okCodes: anyExit, timeoutMs: 60_000 },
    );
    expect(missing.code).to.not.equal(0);
    expect(missing.stderr).to.include('image "no/such:image" not found');
    expect(missing.stderr).to.not.match(/\n\s+at /);
  });
});

/** The CLI's size format (humanBytes), written out so the test does not reuse the code it checks. */
function humanSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
