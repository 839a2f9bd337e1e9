import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import { downloadBlob } from "../../../../agent/registry/pull/blob-download.js";
import { registryTarget } from "../../../../agent/registry/pull/registry-target.js";
import { parseReference } from "../../../../agent/images/reference.js";
import { isBerthError } from "../../../../lib/errors.js";
import { blobOf, ociMediaTypes } from "../../../fixtures/fixture-image.js";
import { FakeRegistry } from "./fake-registry.js";
import { useStore } from "./tiny-image.js";

const size = 300_000;
const bytes = Buffer.from(Array.from({ length: size }, (_, i) => (i * 7) % 251));
const blob = blobOf(bytes);
const desc = { mediaType: ociMediaTypes.layer, digest: blob.digest, size: blob.size };

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a failure");
}

describe("agent/registry/pull blob download", () => {
  const ctx = useStore("pull-blob");
  let registry: FakeRegistry;
  const target = () => registryTarget(registry, parseReference("127.0.0.1:5000/team/app"));
  const options = { what: "layers[0]", stallTimeoutMs: 200, retries: 2, backoffMs: () => 1 };
  const stored = async () =>
    (await fs.readdir(path.join(ctx.root, "content", "blobs", "sha256"))).length;
  const ingest = async () => (await fs.readdir(path.join(ctx.root, "content", "ingest"))).length;

  beforeEach(() => {
    registry = new FakeRegistry();
    registry.putBlob(bytes);
  });

  it("streams the blob into the content store under its digest", async () => {
    const progress: number[] = [];
    await downloadBlob(ctx.store.content, target(), desc, {
      ...options,
      onProgress: (received, total) => {
        expect(total).to.equal(size);
        progress.push(received);
      },
    });
    expect(await fs.readFile(ctx.store.content.path(blob.digest))).to.deep.equal(bytes);
    expect(progress.at(-1)).to.equal(size);
    expect(registry.blobGets(blob.digest)).to.have.length(1);
    expect(registry.blobGets(blob.digest)[0].url).to.equal(
      `http://127.0.0.1:5000/v2/team/app/blobs/${blob.digest}`,
    );
  });

  it("resumes a broken download with Range from the byte it reached, not from zero", async () => {
    registry.trouble.set(blob.digest, { cutAfter: 123_456 });
    await downloadBlob(ctx.store.content, target(), desc, options);
    const gets = registry.blobGets(blob.digest);
    expect(gets).to.have.length(2);
    expect(gets[0].headers.range).to.equal(undefined);
    expect(gets[1].headers.range).to.equal("bytes=123456-");
    expect(await fs.readFile(ctx.store.content.path(blob.digest))).to.deep.equal(bytes);
  });

  it("copes with a registry that answers a Range request with the whole blob", async () => {
    registry.trouble.set(blob.digest, { cutAfter: 5000, ignoreRange: true });
    await downloadBlob(ctx.store.content, target(), desc, options);
    expect(registry.blobGets(blob.digest)[1].headers.range).to.equal("bytes=5000-");
    expect(await fs.readFile(ctx.store.content.path(blob.digest))).to.deep.equal(bytes);
  });

  it("follows a redirect to the storage backend", async () => {
    registry.trouble.set(blob.digest, { redirect: true });
    await downloadBlob(ctx.store.content, target(), desc, options);
    const urls = registry.blobGets(blob.digest).map((r) => r.url);
    expect(urls).to.deep.equal([
      `http://127.0.0.1:5000/v2/team/app/blobs/${blob.digest}`,
      `http://127.0.0.1:5000/storage/v2/x/blobs/${blob.digest}`,
    ]);
    expect(await ctx.store.content.has(blob.digest)).to.equal(true);
  });

  it("fails on corrupted bytes with a digest mismatch, storing nothing, without retrying", async () => {
    registry.trouble.set(blob.digest, { corruptAt: 1000 });
    const err = await failure(downloadBlob(ctx.store.content, target(), desc, options));
    expect(err.message).to.include("layers[0]").and.include("digest mismatch");
    expect(registry.blobGets(blob.digest)).to.have.length(1);
    expect(await stored()).to.equal(0);
    expect(await ingest()).to.equal(0);
  });

  it("abandons an attempt that stalls mid-body, retries with Range, then fails naming the blob", async () => {
    registry.trouble.set(blob.digest, { stallAfter: 70_000 });
    const started = Date.now();
    const err = await failure(downloadBlob(ctx.store.content, target(), desc, options));
    expect(isBerthError(err, "DeadlineExceeded")).to.equal(true);
    expect(err.message).to.include("layers[0]").and.include("no data for 200 ms");
    expect(err.message).to.include("gave up after 3 attempts");
    const gets = registry.blobGets(blob.digest);
    // The fake sends 70 000 more bytes before each stall: every retry resumes further on.
    expect(gets.map((g) => g.headers.range)).to.deep.equal([
      undefined,
      "bytes=70000-",
      "bytes=140000-",
    ]);
    expect(Date.now() - started).to.be.within(550, 3000);
    expect(await stored()).to.equal(0);
    expect(await ingest()).to.equal(0);
  });

  it("abandons a request whose response headers never come", async () => {
    registry.trouble.set(blob.digest, { stallAfter: 0, beforeHeaders: true });
    const err = await failure(
      downloadBlob(ctx.store.content, target(), desc, { ...options, retries: 0 }),
    );
    expect(isBerthError(err, "DeadlineExceeded")).to.equal(true);
    expect(err.message).to.include("0 of 300000 bytes");
  });

  it("does not retry what the registry refuses (404)", async () => {
    const err = await failure(
      downloadBlob(
        ctx.store.content,
        target(),
        { ...desc, digest: `sha256:${"0".repeat(64)}` },
        options,
      ),
    );
    expect(isBerthError(err, "NotFound")).to.equal(true);
    expect(registry.requests).to.have.length(1);
  });

  it("stops when its signal aborts, leaving no partial file", async () => {
    registry.trouble.set(blob.digest, { stallAfter: 1000 });
    const controller = new AbortController();
    const pending = downloadBlob(ctx.store.content, target(), desc, {
      ...options,
      stallTimeoutMs: 60_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error("pull cancelled")), 50);
    const err = await failure(pending);
    expect(err.message).to.equal("pull cancelled");
    expect(await ingest()).to.equal(0);
  });
});
