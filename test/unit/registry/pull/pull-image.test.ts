import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { chainIds } from "../../../../agent/images/digest.js";
import { pullImage } from "../../../../agent/registry/pull/pull-image.js";
import type { PullProgress } from "../../../../agent/registry/registry-api.js";
import { isBerthError } from "../../../../lib/errors.js";
import { blobOf, ociMediaTypes, type FixtureImage } from "../../../fixtures/fixture-image.js";
import { FakeRegistry } from "./fake-registry.js";
import { publish, tinyImage, useStore } from "./tiny-image.js";

const host = "127.0.0.1:5000";
const repo = `${host}/team/app`;

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a failure");
}

/** The same layers under a config that says `architecture`, for indexes. */
function forArch(image: FixtureImage, architecture: string): FixtureImage {
  const config = JSON.parse(image.config.bytes.toString()) as Record<string, unknown>;
  const configBlob = blobOf(Buffer.from(JSON.stringify({ ...config, architecture })));
  const manifest = JSON.parse(image.manifest.bytes.toString()) as Record<string, unknown>;
  manifest.config = {
    mediaType: ociMediaTypes.config,
    digest: configBlob.digest,
    size: configBlob.size,
  };
  return { ...image, config: configBlob, manifest: blobOf(Buffer.from(JSON.stringify(manifest))) };
}

describe("agent/registry/pull pullImage", () => {
  const ctx = useStore("pull-image");
  let registry: FakeRegistry;
  let image: FixtureImage;

  beforeEach(async () => {
    registry = new FakeRegistry();
    image = await tinyImage(3);
  });

  async function storeIsEmpty() {
    expect(await ctx.store.list()).to.deep.equal([]);
    expect(await ctx.store.content.list()).to.deep.equal([]);
    expect(await ctx.store.snapshots.list()).to.deep.equal([]);
    expect(await fs.readdir(path.join(ctx.root, "content", "ingest"))).to.deep.equal([]);
    const leases = await fs.readdir(path.join(ctx.root, "metadata", "leases"));
    expect(leases.filter((l) => l.endsWith(".json"))).to.deep.equal([]);
  }

  it("pulls by tag into an image record with its tag and repo digest, layers unpacked", async () => {
    publish(registry, "team/app", "v1", image);
    const events: PullProgress[] = [];
    const record = await pullImage(ctx.store, registry, `${repo}:v1`, {
      onProgress: (p) => events.push(p),
    });
    expect(record.id).to.equal(image.config.digest);
    expect(record.repoTags).to.deep.equal([`${repo}:v1`]);
    expect(record.repoDigests).to.deep.equal([`${repo}@${image.manifest.digest}`]);
    expect(record.diffIds).to.deep.equal(image.layers.map((l) => l.diffId));
    expect(record.size).to.equal(image.size);
    expect(record.manifest.digest).to.equal(image.manifest.digest);
    expect(await ctx.store.find(`${repo}:v1`)).to.deep.equal(record);
    const top = ctx.store.snapshots.lowerDirs(chainIds(record.diffIds))[0];
    expect((await fs.stat(path.join(top, "layer-2"))).size).to.equal(200_002);

    expect(events[0]).to.deep.equal({
      kind: "resolved",
      reference: `${repo}:v1`,
      manifest: image.manifest.digest,
      layers: image.layers.map((l) => ({ digest: l.digest, size: l.size })),
    });
    for (const layer of image.layers) {
      const last = events.filter((e) => e.kind === "layer" && e.digest === layer.digest).at(-1);
      expect(last).to.deep.equal({
        kind: "layer",
        digest: layer.digest,
        received: layer.size,
        total: layer.size,
      });
      expect(events).to.deep.include({ kind: "layer-done", digest: layer.digest, cached: false });
    }
    expect(
      events.filter((e) => e.kind === "unpacked").map((e) => e.kind === "unpacked" && e.index),
    ).to.deep.equal([0, 1, 2]);
    expect(events.at(-1)).to.deep.equal({ kind: "done", imageId: image.config.digest });
  });

  it("normalizes the reference and names the registry host and repository path", async () => {
    registry.putManifest("library/busybox", image.manifest.bytes, ociMediaTypes.manifest, "latest");
    for (const blob of [image.config, ...image.layers]) registry.putBlob(blob.bytes);
    const record = await pullImage(ctx.store, registry, "busybox");
    expect(record.repoTags).to.deep.equal(["docker.io/library/busybox:latest"]);
    expect(registry.requests[0].host).to.equal("docker.io");
    expect(registry.requests[0].url).to.equal(
      "http://docker.io/v2/library/busybox/manifests/latest",
    );
  });

  it("refuses a malformed reference as InvalidArgument naming image, asking nothing", async () => {
    const err = await failure(pullImage(ctx.store, registry, "Team/App:v1"));
    expect(isBerthError(err, "InvalidArgument")).to.equal(true);
    expect((err as { field?: string }).field).to.equal("image");
    expect(registry.requests).to.deep.equal([]);
  });

  it("pulls name:tag@digest by the digest, without the unverified tag", async () => {
    const digest = publish(registry, "team/app", "v1", image);
    const record = await pullImage(ctx.store, registry, `${repo}:other@${digest}`);
    expect(registry.requests[0].url).to.match(new RegExp(`/manifests/${digest}$`));
    expect(record.repoTags).to.deep.equal([]);
    expect(record.repoDigests).to.deep.equal([`${repo}@${digest}`]);
    expect(await ctx.store.find(`${repo}@${digest}`)).to.deep.equal(record);
  });

  it("resolves an index to this platform's manifest and keeps the index digest as repo digest", async () => {
    const arm = forArch(image, "arm64");
    for (const blob of [image.config, arm.config, ...image.layers]) registry.putBlob(blob.bytes);
    registry.putManifest("team/app", arm.manifest.bytes, ociMediaTypes.manifest);
    registry.putManifest("team/app", image.manifest.bytes, ociMediaTypes.manifest);
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: ociMediaTypes.index,
        manifests: [
          {
            mediaType: ociMediaTypes.manifest,
            digest: arm.manifest.digest,
            size: arm.manifest.size,
            platform: { os: "linux", architecture: "arm64", variant: "v8" },
          },
          {
            mediaType: ociMediaTypes.manifest,
            digest: image.manifest.digest,
            size: image.manifest.size,
            platform: { os: "linux", architecture: "amd64" },
          },
        ],
      }),
    );
    const indexDigest = registry.putManifest("team/app", index, ociMediaTypes.index, "multi");
    const amd = await pullImage(ctx.store, registry, `${repo}:multi`, {
      platform: { os: "linux", architecture: "amd64" },
    });
    expect(amd.id).to.equal(image.config.digest);
    expect(amd.manifest.digest).to.equal(image.manifest.digest);
    expect(amd.repoDigests).to.deep.equal([`${repo}@${indexDigest}`]);
    expect(registry.requests.some((r) => r.url.includes(arm.manifest.digest))).to.equal(false);

    const armRecord = await pullImage(ctx.store, registry, `${repo}:multi`, {
      platform: { os: "linux", architecture: "aarch64" },
    });
    expect(armRecord.id).to.equal(arm.config.digest);

    const err = await failure(
      pullImage(ctx.store, registry, `${repo}:multi`, {
        platform: { os: "linux", architecture: "riscv64" },
      }),
    );
    expect(isBerthError(err, "NotFound")).to.equal(true);
    expect(err.message)
      .to.include(`image ${repo}:multi`)
      .and.include("linux/arm64/v8, linux/amd64");
  });

  it("downloads each blob once when two pulls of the same image run at once", async () => {
    publish(registry, "team/app", "v1", image);
    registry.blobLatencyMs = 50;
    const [a, b] = await Promise.all([
      pullImage(ctx.store, registry, `${repo}:v1`),
      pullImage(ctx.store, registry, `${repo}:v1`),
    ]);
    expect(a.id).to.equal(b.id);
    for (const blob of [image.config, ...image.layers]) {
      expect(registry.blobGets(blob.digest), blob.digest).to.have.length(1);
    }
    expect(await ctx.store.list()).to.have.length(1);
  });

  it("skips blobs the store already has, reporting them cached", async () => {
    publish(registry, "team/app", "v1", image);
    await pullImage(ctx.store, registry, `${repo}:v1`);
    registry.requests.length = 0;
    const events: PullProgress[] = [];
    await pullImage(ctx.store, registry, `${repo}:v1`, { onProgress: (p) => events.push(p) });
    expect(registry.requests.map((r) => new URL(r.url).pathname)).to.deep.equal([
      "/v2/team/app/manifests/v1",
    ]);
    expect(
      events
        .filter((e) => e.kind === "layer-done")
        .every((e) => e.kind === "layer-done" && e.cached),
    ).to.equal(true);
  });

  it("resumes a layer cut off mid-download with Range", async () => {
    publish(registry, "team/app", "v1", image);
    registry.trouble.set(image.layers[1].digest, { cutAfter: 4096 });
    await pullImage(ctx.store, registry, `${repo}:v1`);
    const gets = registry.blobGets(image.layers[1].digest);
    expect(gets.map((g) => g.headers.range)).to.deep.equal([undefined, "bytes=4096-"]);
  });

  it("downloads at most `concurrency` layers at once", async () => {
    image = await tinyImage(5, false);
    publish(registry, "team/app", "v1", image);
    let active = 0;
    let most = 0;
    const counting = Object.create(registry) as FakeRegistry;
    counting.request = async (h, req, auth) => {
      const res = await registry.request(h, req, auth);
      if (!req.path.includes("/blobs/")) return res;
      active += 1;
      most = Math.max(most, active);
      res.body.once("close", () => (active -= 1));
      // Slow enough for downloads to overlap, as they do over a network.
      await new Promise((r) => setTimeout(r, 30));
      return res;
    };
    await pullImage(ctx.store, counting, `${repo}:v1`, { concurrency: 2 });
    expect(most).to.equal(2);
  });

  it("leaves nothing behind when a layer is corrupt: no record, blobs, snapshots or leases", async () => {
    publish(registry, "team/app", "v1", image);
    registry.trouble.set(image.layers[2].digest, { corruptAt: 10 });
    const err = await failure(pullImage(ctx.store, registry, `${repo}:v1`));
    expect(err.message).to.include("digest mismatch").and.include(image.layers[2].digest);
    expect(err.message).to.include(`image ${repo}:v1 layers[2]`);
    await storeIsEmpty();
  });

  it("leaves nothing behind when a layer stalls, naming the blob", async () => {
    publish(registry, "team/app", "v1", image);
    registry.trouble.set(image.layers[0].digest, { stallAfter: 1000 });
    const err = await failure(
      pullImage(ctx.store, registry, `${repo}:v1`, { stallTimeoutMs: 100, retries: 1 }),
    );
    expect(isBerthError(err, "DeadlineExceeded")).to.equal(true);
    expect(err.message).to.include(image.layers[0].digest).and.include("no data for 100 ms");
    await storeIsEmpty();
  });

  it("checks its options", async () => {
    for (const [options, field] of [
      [{ concurrency: 0 }, "concurrency"],
      [{ retries: -1 }, "retries"],
      [{ stallTimeoutMs: 0.5 }, "stallTimeoutMs"],
    ] as const) {
      const err = await failure(pullImage(ctx.store, registry, `${repo}:v1`, options));
      expect((err as { field?: string }).field).to.equal(field);
    }
  });
});
