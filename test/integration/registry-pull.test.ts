import { expect } from "chai";
import { promises as fs, readFileSync } from "node:fs";
import path from "node:path";
import { chainIds } from "../../agent/images/digest.js";
import type { ImageRecord } from "../../agent/images/image-records.js";
import { ImageStore } from "../../agent/images/image-store.js";
import { importImages } from "../../agent/images/import/import-image.js";
import { pullImage, type PullOptions } from "../../agent/registry/pull/pull-image.js";
import {
  createRegistryTransport,
  type ClosableRegistryTransport,
} from "../../agent/registry/transport/create-transport.js";
import { isBerthError } from "../../lib/errors.js";
import { run } from "../../lib/exec.js";
import { busyboxMultiLayer } from "../fixtures/busybox-image.js";
import { blobOf, ociMediaTypes, type FixtureImage } from "../fixtures/fixture-image.js";
import { ociBlobPath, writeOciLayout } from "../fixtures/oci-layout-writer.js";
import { emptyStore, storeContents } from "../fixtures/store-inspection.js";
import { requireIntegration } from "../support/prerequisites.js";
import { startRegistryProxy, type RegistryProxy } from "../support/registry-proxy.js";
import { startRegistry, type TestRegistry } from "../support/registry-server.js";
import { tempDir } from "../support/temp-dir.js";

/** The same layers under a config for another architecture: the arm64 half of an index. */
function forArm64(image: FixtureImage): FixtureImage {
  const config = JSON.parse(image.config.bytes.toString()) as Record<string, unknown>;
  const configBlob = blobOf(
    Buffer.from(JSON.stringify({ ...config, architecture: "arm64", variant: "v8" })),
  );
  const manifest = JSON.parse(image.manifest.bytes.toString()) as Record<string, unknown>;
  manifest.config = {
    mediaType: ociMediaTypes.config,
    digest: configBlob.digest,
    size: configBlob.size,
  };
  return { ...image, config: configBlob, manifest: blobOf(Buffer.from(JSON.stringify(manifest))) };
}

/** An OCI layout whose tag `multi` is an index of a linux/amd64 and a linux/arm64/v8 image. */
async function writeMultiPlatformLayout(dir: string, amd: FixtureImage, arm: FixtureImage) {
  await writeOciLayout(dir, [
    { image: amd, refNames: [] },
    { image: arm, refNames: [] },
  ]);
  const entry = (image: FixtureImage, platform: Record<string, string>) => ({
    mediaType: ociMediaTypes.manifest,
    digest: image.manifest.digest,
    size: image.manifest.size,
    platform,
  });
  const index = blobOf(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: ociMediaTypes.index,
        manifests: [
          entry(arm, { os: "linux", architecture: "arm64", variant: "v8" }),
          entry(amd, { os: "linux", architecture: "amd64" }),
        ],
      }),
    ),
  );
  await fs.writeFile(ociBlobPath(dir, index), index.bytes);
  await fs.writeFile(
    path.join(dir, "index.json"),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: ociMediaTypes.index,
          digest: index.digest,
          size: index.size,
          annotations: { "org.opencontainers.image.ref.name": "multi" },
        },
      ],
    }),
  );
  return index.digest;
}

async function skopeoPush(source: string, registry: TestRegistry, name: string, all = false) {
  await run(
    "skopeo",
    [
      "copy",
      "-q",
      ...(all ? ["--all"] : []),
      "--dest-tls-verify=false",
      source,
      `docker://${registry.host}/${name}`,
    ],
    { timeoutMs: 60_000 },
  );
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the pull to fail");
}

describe("registry pull (docker-registry on 127.0.0.1, skopeo as the pusher)", function () {
  this.timeout(120_000);
  let registry: TestRegistry | undefined;
  let proxy: RegistryProxy | undefined;
  let transport: ClosableRegistryTransport | undefined;
  let work: { path: string; remove: () => void } | undefined;
  let busybox: FixtureImage;
  let arm: FixtureImage;
  let imported: ImageRecord;
  let store: ImageStore;
  let storeCount = 0;

  /** `berth/busybox:latest` and the rest, as references through the proxy. */
  const ref = (name: string) => `${proxy?.host}/${name}`;
  const pull = (name: string, options: PullOptions = {}) =>
    pullImage(store, transport as ClosableRegistryTransport, ref(name), options);

  before(async function () {
    requireIntegration(this, ["skopeo", "docker-registry", "htpasswd"]);
    work = tempDir("registry-pull");
    registry = await startRegistry();
    proxy = await startRegistryProxy(registry.host);
    transport = createRegistryTransport();

    busybox = await busyboxMultiLayer({ gzip: true });
    arm = forArm64(busybox);
    const layout = path.join(work.path, "busybox-layout");
    await writeOciLayout(layout, [{ image: busybox, refNames: ["latest"] }]);
    await skopeoPush(`oci:${layout}:latest`, registry, "berth/busybox:latest");
    const multi = path.join(work.path, "multi-layout");
    await writeMultiPlatformLayout(multi, busybox, arm);
    await skopeoPush(`oci:${multi}:multi`, registry, "berth/busybox:multi", true);

    const importStore = await ImageStore.open(path.join(work.path, "import-store"));
    [imported] = await importImages(importStore, layout, { name: ref("berth/busybox") });
  });

  beforeEach(async () => {
    proxy?.reset();
    store = await ImageStore.open(
      path.join((work as { path: string }).path, `store-${storeCount++}`),
    );
  });

  after(async () => {
    transport?.close();
    await proxy?.stop();
    await registry?.stop();
    work?.remove();
  });

  const blobs = () => [busybox.config, ...busybox.layers];

  it("pulls what skopeo pushed into the same record an import gives, busybox in its rootfs", async () => {
    const started = process.hrtime.bigint();
    const record = await pull("berth/busybox:latest");
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`      pull of busybox (${busybox.size} bytes, 3 layers): ${ms.toFixed(0)} ms`);

    expect(record.id).to.equal(imported.id);
    expect(record.diffIds).to.deep.equal(imported.diffIds);
    expect(record.layers).to.deep.equal(imported.layers);
    // The import's descriptor also keeps the annotations its OCI layout's index.json gave it.
    const importedManifest = { ...imported.manifest };
    delete importedManifest.annotations;
    expect(record.manifest).to.deep.equal(importedManifest);
    expect(record.config).to.deep.equal(imported.config);
    expect(record.platform).to.deep.equal(imported.platform);
    expect(record.user).to.equal(imported.user);
    expect(record.created).to.equal(imported.created);
    expect(record.size).to.equal(imported.size);
    expect(record.repoTags).to.deep.equal(imported.repoTags);
    expect(record.repoDigests).to.deep.equal(imported.repoDigests);

    const dirs = store.snapshots.lowerDirs(chainIds(record.diffIds));
    const holder = dirs.find((d) => readable(path.join(d, "bin/busybox")));
    expect(holder, "a snapshot with /bin/busybox").to.not.equal(undefined);
    expect(readFileSync(path.join(holder as string, "bin/busybox"))).to.deep.equal(
      readFileSync("/bin/busybox"),
    );

    // By digest, into a store that has it all: the manifest is known, nothing is fetched.
    proxy?.reset();
    const byDigest = await pull(`berth/busybox@${record.manifest.digest}`);
    expect(byDigest.id).to.equal(record.id);
    expect(proxy?.requests).to.deep.equal([]);
  });

  it("resolves a multi-platform index pushed by skopeo --all to linux/amd64", async () => {
    const record = await pull("berth/busybox:multi");
    expect(record.id).to.equal(busybox.config.digest);
    expect(record.platform).to.deep.equal({ os: "linux", architecture: "amd64" });
    expect(record.manifest.digest).to.equal(busybox.manifest.digest);
    expect(proxy?.count(`/v2/berth/busybox/manifests/${arm.manifest.digest}`)).to.equal(0);
    expect(proxy?.count(`/v2/berth/busybox/blobs/${arm.config.digest}`)).to.equal(0);

    const err = await failure(
      pull("berth/busybox:multi", { platform: { os: "linux", architecture: "ppc64le" } }),
    );
    expect(isBerthError(err, "NotFound")).to.equal(true);
    expect(err.message).to.include("linux/ppc64le").and.include("linux/arm64/v8, linux/amd64");
  });

  it("refuses a schema 1 manifest clearly", async () => {
    proxy?.fixed.set("/v2/berth/old/manifests/v1", {
      status: 200,
      headers: { "content-type": "application/vnd.docker.distribution.manifest.v1+prettyjws" },
      body: Buffer.from(
        JSON.stringify({ schemaVersion: 1, name: "berth/old", tag: "v1", fsLayers: [] }),
      ),
    });
    const err = await failure(pull("berth/old:v1"));
    expect(isBerthError(err, "InvalidArgument")).to.equal(true);
    expect(err.message)
      .to.include(`image ${ref("berth/old:v1")}`)
      .and.include("schema 1");
    expect(await store.list()).to.deep.equal([]);
  });

  it("fails on corrupted bytes with a digest mismatch, keeping no record and no blob", async () => {
    const layer = busybox.layers[0];
    proxy?.trouble.set(layer.digest, { corrupt: true });
    const err = await failure(pull("berth/busybox:latest"));
    expect(err.message).to.include("digest mismatch").and.include(layer.digest);
    expect(await store.list()).to.deep.equal([]);
    expect(await store.content.has(layer.digest)).to.equal(false);
    expect(await storeContents(store)).to.deep.equal(emptyStore);
  });

  it("resumes a download cut off mid-blob with Range, fetching each byte once", async () => {
    const layer = busybox.layers[0];
    const cutAt = Math.floor(layer.size / 3);
    proxy?.trouble.set(layer.digest, { cutOnceAfter: cutAt });
    const record = await pull("berth/busybox:latest");
    expect(record.id).to.equal(imported.id);
    const gets = proxy?.blobGets(layer.digest) ?? [];
    expect(gets.map((g) => g.range)).to.deep.equal([undefined, `bytes=${cutAt}-`]);
    expect(gets.map((g) => g.sent)).to.deep.equal([cutAt, layer.size - cutAt]);
  });

  it("fails a stalled download with an error naming the blob, leaving nothing", async () => {
    const layer = busybox.layers[0];
    proxy?.trouble.set(layer.digest, { stallAfter: 1000 });
    const started = Date.now();
    const err = await failure(pull("berth/busybox:latest", { stallTimeoutMs: 400, retries: 1 }));
    expect(isBerthError(err, "DeadlineExceeded")).to.equal(true);
    expect(err.message).to.include(layer.digest).and.include("no data for 400 ms");
    expect(Date.now() - started).to.be.below(10_000);
    expect(proxy?.blobGets(layer.digest).map((g) => g.range)).to.deep.equal([
      undefined,
      "bytes=1000-",
    ]);
    expect(await storeContents(store)).to.deep.equal(emptyStore);
  });

  it("downloads each blob once for two concurrent pulls of the same image", async () => {
    const [a, b] = await Promise.all([pull("berth/busybox:latest"), pull("berth/busybox:latest")]);
    expect(a.id).to.equal(imported.id);
    expect(b.id).to.equal(imported.id);
    for (const blob of blobs()) {
      expect(proxy?.count(`/v2/berth/busybox/blobs/${blob.digest}`), blob.digest).to.equal(1);
    }
  });

  it("follows a registry's redirect of blob downloads to its storage", async () => {
    if (proxy) proxy.redirectBlobs = true;
    const record = await pull("berth/busybox:latest");
    expect(record.id).to.equal(imported.id);
    for (const blob of blobs()) {
      expect(proxy?.count(`/_storage/v2/berth/busybox/blobs/${blob.digest}`)).to.equal(1);
    }
  });
});

function readable(file: string): boolean {
  try {
    readFileSync(file);
    return true;
  } catch {
    return false;
  }
}
