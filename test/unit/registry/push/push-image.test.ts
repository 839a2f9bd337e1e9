import { expect } from "chai";
import { promises as fs } from "node:fs";
import path from "node:path";
import type { Digest } from "../../../../agent/images/digest.js";
import { importImages } from "../../../../agent/images/import/import-image.js";
import type { ImageRecord } from "../../../../agent/images/image-records.js";
import { pushImage, type PushOptions } from "../../../../agent/registry/push/push-image.js";
import type { PushProgress } from "../../../../agent/registry/registry-api.js";
import { isBerthError } from "../../../../lib/errors.js";
import { ociMediaTypes, sha256, type FixtureImage } from "../../../fixtures/fixture-image.js";
import { writeOciLayout } from "../../../fixtures/oci-layout-writer.js";
import { tinyImage, useStore } from "../pull/tiny-image.js";
import { FakePushRegistry, type PushSeen } from "./fake-push-registry.js";

const host = "127.0.0.1:5000";
const localName = "docker.io/team/app:1";

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a failure");
}

const outcomes = (events: PushProgress[]) =>
  events.flatMap((e) => (e.kind === "blob-done" ? [e.how] : []));

describe("agent/registry/push pushImage", () => {
  const ctx = useStore("push");
  let fixture: FixtureImage;
  let image: ImageRecord;
  let registry: FakePushRegistry;
  let events: PushProgress[];

  before(async () => {
    fixture = await tinyImage(2);
  });

  beforeEach(async () => {
    const layout = path.join(ctx.root, "..", "layout");
    await writeOciLayout(layout, [{ image: fixture, refNames: [localName] }]);
    [image] = await importImages(ctx.store, layout);
    registry = new FakePushRegistry(host);
    events = [];
  });

  const push = (target = `${host}/team/app:1`, options: PushOptions = {}, source = localName) =>
    pushImage(ctx.store, registry, source, target, {
      ...options,
      onProgress: (p) => events.push(p),
    });
  const blobs = () => [...fixture.layers, fixture.config];
  const seen = (method: string, part = "") =>
    registry.requests.filter((r) => r.method === method && r.url.includes(part));
  const pathOf = (r: PushSeen) => {
    const u = new URL(r.url);
    return u.pathname + u.search;
  };

  it("uploads each blob monolithically: HEAD, POST, then one PUT of the whole blob with its digest", async () => {
    const result = await push();
    expect(result).to.deep.equal({
      digest: fixture.manifest.digest,
      reference: `${host}/team/app:1`,
    });
    for (const blob of blobs()) {
      const forBlob = registry.requests.filter(
        (r) => r.url.includes(blob.digest) || r.url.includes("/uploads/"),
      );
      expect(
        forBlob.some((r) => r.method === "HEAD" && r.url.endsWith(`/blobs/${blob.digest}`)),
      ).to.equal(true);
      const put = seen("PUT", `digest=${encodeURIComponent(blob.digest)}`);
      expect(put).to.have.length(1);
      expect(put[0].body).to.deep.equal(blob.bytes);
      expect(put[0].streamed, "blobs are streamed from the content store").to.equal(true);
      expect(put[0].headers["content-length"]).to.equal(String(blob.size));
      expect(put[0].headers["content-type"]).to.equal("application/octet-stream");
      expect(registry.repo("team/app").get(blob.digest)).to.deep.equal(blob.bytes);
    }
    expect(seen("POST")).to.have.length(blobs().length);
    expect(seen("POST").map(pathOf)).to.deep.equal(
      blobs().map(() => "/v2/team/app/blobs/uploads/"),
    );
    expect(seen("PATCH")).to.deep.equal([]);
    expect(outcomes(events)).to.deep.equal(blobs().map(() => "uploaded"));
    for (const blob of blobs()) {
      const sent = events.filter((e) => e.kind === "blob" && e.digest === blob.digest);
      expect(sent.at(-1)).to.deep.equal({
        kind: "blob",
        digest: blob.digest,
        sent: blob.size,
        total: blob.size,
      });
    }
    expect(events.at(-1)).to.deep.equal({
      kind: "manifest",
      digest: fixture.manifest.digest,
      reference: `${host}/team/app:1`,
    });
  });

  it("asks for pull and push on the target repository", async () => {
    await push();
    for (const r of registry.requests) {
      expect(r.scope).to.deep.equal([{ repository: "team/app", actions: ["pull", "push"] }]);
    }
  });

  it("puts the manifest's exact bytes under the tag, with its media type, after every blob", async () => {
    await push();
    const put = seen("PUT", "/manifests/");
    expect(put.map(pathOf)).to.deep.equal(["/v2/team/app/manifests/1"]);
    expect(put[0].headers["content-type"]).to.equal(image.manifest.mediaType);
    expect(put[0].headers["content-type"]).to.equal(ociMediaTypes.manifest);
    expect(put[0].body).to.deep.equal(fixture.manifest.bytes);
    expect(registry.requests.at(-1)).to.equal(put[0]);
  });

  it("sends chunks of chunkSize with Content-Range, following each Location, then PUTs the digest", async () => {
    registry.absoluteLocations = true;
    const chunkSize = 64 * 1024;
    await push(undefined, { chunkSize });
    const big = fixture.layers.reduce((a, b) => (b.size > a.size ? b : a));
    expect(big.size).to.be.greaterThan(3 * chunkSize);
    // Blobs go up concurrently: the big blob's session is the one its closing PUT went to.
    const put = seen("PUT", `digest=${encodeURIComponent(big.digest)}`)[0];
    const session = new URL(put.url).pathname;
    const inSession = registry.requests.filter((r) => new URL(r.url).pathname === session);
    const count = Math.ceil(big.size / chunkSize);
    expect(inSession.at(-1)).to.equal(put);
    const patches = inSession.slice(0, -1);
    expect(patches.map((p) => p.method)).to.deep.equal(Array(count).fill("PATCH"));
    expect(patches.map((p) => p.headers["content-range"])).to.deep.equal(
      Array.from(
        { length: count },
        (_, i) => `${i * chunkSize}-${Math.min((i + 1) * chunkSize, big.size) - 1}`,
      ),
    );
    expect(patches.map((p) => p.headers["content-length"])).to.deep.equal(
      patches.map((p) => String(p.body?.length)),
    );
    expect(patches.map((p) => new URL(p.url).searchParams.get("_state"))).to.deep.equal(
      Array.from({ length: count }, (_, i) => String(i)),
    );
    expect(patches.every((p) => p.url.startsWith("http://uploads.test:5000/"))).to.equal(true);
    expect(new URL(put.url).searchParams.get("_state")).to.equal(String(count));
    expect(new URL(put.url).searchParams.get("digest")).to.equal(big.digest);
    expect(put.body).to.deep.equal(Buffer.alloc(0));
    expect(Buffer.concat(patches.map((p) => p.body as Buffer))).to.deep.equal(big.bytes);
    for (const blob of blobs()) {
      expect(registry.repo("team/app").get(blob.digest)).to.deep.equal(blob.bytes);
    }
    const progress = events.filter((e) => e.kind === "blob" && e.digest === big.digest);
    expect(progress.at(-1)).to.include({ sent: big.size, total: big.size });
  });

  it("skips blobs the repository already has, reporting them as existing", async () => {
    for (const blob of blobs()) registry.addBlob("team/app", blob.bytes);
    const result = await push();
    expect(result.digest).to.equal(fixture.manifest.digest);
    expect(outcomes(events)).to.deep.equal(blobs().map(() => "exists"));
    expect(registry.requests.map((r) => r.method).sort()).to.deep.equal(
      [...blobs().map(() => "HEAD"), "PUT"].sort(),
    );
  });

  it("mounts blobs from the repository the image is named in on the same registry", async () => {
    const layout = path.join(ctx.root, "..", "layout");
    await importImages(ctx.store, layout, { name: `${host}/team/base:1` });
    for (const blob of blobs()) registry.addBlob("team/base", blob.bytes);
    await push(`${host}/team/app:2`);
    expect(outcomes(events)).to.deep.equal(blobs().map(() => "mounted"));
    expect(seen("POST").map(pathOf).sort()).to.deep.equal(
      blobs()
        .map((b) => `/v2/team/app/blobs/uploads/?mount=${b.digest}&from=team/base`)
        .sort(),
    );
    expect(seen("POST")[0].scope).to.deep.equal([
      { repository: "team/app", actions: ["pull", "push"] },
      { repository: "team/base", actions: ["pull"] },
    ]);
    expect(seen("PUT", "/blobs/")).to.deep.equal([]);
    for (const blob of blobs()) {
      expect(registry.repo("team/app").get(blob.digest)).to.deep.equal(blob.bytes);
    }
  });

  it("uploads into the session a refused mount opened, without opening another", async () => {
    registry.mounts = false;
    await push(undefined, { mountFrom: ["team/base"] });
    expect(outcomes(events)).to.deep.equal(blobs().map(() => "uploaded"));
    expect(seen("POST").every((p) => p.url.includes("mount="))).to.equal(true);
    expect(seen("POST")).to.have.length(blobs().length);
    expect(seen("PUT", "/blobs/uploads/")).to.have.length(blobs().length);
  });

  it("drops the sessions of refused mounts and tries the next repository", async () => {
    for (const blob of blobs()) registry.addBlob("team/second", blob.bytes);
    await push(undefined, { mountFrom: ["team/first", `${host}/team/second`] });
    expect(outcomes(events)).to.deep.equal(blobs().map(() => "mounted"));
    expect(seen("DELETE")).to.have.length(blobs().length);
    expect(seen("PUT", "/blobs/")).to.deep.equal([]);
  });

  it("uploads when the credentials do not allow a mount from the source repository", async () => {
    registry.deniedMountSources.add("team/secret");
    await push(undefined, { mountFrom: ["team/secret"] });
    expect(outcomes(events)).to.deep.equal(blobs().map(() => "uploaded"));
    expect(seen("POST").filter((p) => !p.url.includes("mount="))).to.have.length(blobs().length);
  });

  it("ignores names on other registries and the target repository itself as mount sources", async () => {
    const layout = path.join(ctx.root, "..", "layout");
    await importImages(ctx.store, layout, { name: `${host}/team/app:0` });
    await importImages(ctx.store, layout, { name: `other.example:5000/team/base:1` });
    await push(undefined, { mountFrom: ["other.example:5000/team/x"] });
    expect(seen("POST").filter((p) => p.url.includes("mount="))).to.deep.equal([]);
  });

  it("pushes by digest when the target names only the image's digest", async () => {
    const result = await push(`${host}/team/app@${fixture.manifest.digest}`);
    expect(seen("PUT", "/manifests/").map(pathOf)).to.deep.equal([
      `/v2/team/app/manifests/${fixture.manifest.digest}`,
    ]);
    expect(result.reference).to.equal(`${host}/team/app@${fixture.manifest.digest}`);
  });

  it("refuses a target whose digest is not the image's", async () => {
    const other = sha256("something else");
    const err = await failure(push(`${host}/team/app@${other}`));
    expect(isBerthError(err, "InvalidArgument")).to.equal(true);
    expect(err.message).to.include(other).and.include(fixture.manifest.digest);
    expect(registry.requests).to.deep.equal([]);
  });

  it("pushes to the name it was given when no target is", async () => {
    const layout = path.join(ctx.root, "..", "layout");
    await importImages(ctx.store, layout, { name: `${host}/team/own:7` });
    const result = await pushImage(ctx.store, registry, `${host}/team/own:7`);
    expect(result.reference).to.equal(`${host}/team/own:7`);
    expect(registry.manifests.has("team/own:7")).to.equal(true);
  });

  it("needs a target when the image is given by id", async () => {
    const err = await failure(pushImage(ctx.store, registry, image.id));
    expect(isBerthError(err, "InvalidArgument")).to.equal(true);
    expect(err.message).to.include(image.id).and.include("target");
  });

  it("fails NotFound, naming the reference, for an image the node does not have", async () => {
    const err = await failure(pushImage(ctx.store, registry, "team/absent:1", `${host}/x:1`));
    expect(isBerthError(err, "NotFound")).to.equal(true);
    expect(err.message).to.include('"team/absent:1"');
    expect(registry.requests).to.deep.equal([]);
  });

  it("fails NotFound, naming the blob, when a layer is missing from the content store", async () => {
    const layer = fixture.layers[1];
    await fs.rm(ctx.store.content.path(layer.digest as Digest));
    const err = await failure(push());
    expect(isBerthError(err, "NotFound")).to.equal(true);
    expect(err.message).to.include(layer.digest);
    expect(registry.requests).to.deep.equal([]);
  });

  it("names the registry's error codes when it refuses the manifest", async () => {
    registry.refuseManifest = {
      status: 400,
      body: JSON.stringify({
        errors: [{ code: "MANIFEST_BLOB_UNKNOWN", message: "blob unknown to registry" }],
      }),
    };
    const err = await failure(push());
    expect(isBerthError(err, "InvalidArgument")).to.equal(true);
    expect(err.message).to.include("MANIFEST_BLOB_UNKNOWN").and.include(host);
  });

  it("fails when the registry says it stored another digest than the one sent", async () => {
    registry.blobDigestHeader = sha256("not it");
    const err = await failure(push());
    expect(isBerthError(err, "Unavailable")).to.equal(true);
    expect(err.message).to.include(sha256("not it"));
  });

  it("fails when a chunk's Range answer does not cover what was sent", async () => {
    registry.patchRange = "0-10";
    const err = await failure(push(undefined, { chunkSize: 64 * 1024 }));
    expect(err.message).to.include("0-10");
    expect(registry.manifests.size).to.equal(0);
  });

  it("lets the transport's authentication errors through", async () => {
    registry.unauthenticated.add("POST");
    const err = await failure(push());
    expect(isBerthError(err, "Unauthenticated")).to.equal(true);
    expect(registry.manifests.size).to.equal(0);
  });

  it("rejects a negative chunk size and a mount source that is not a repository", async () => {
    const bad = await failure(push(undefined, { chunkSize: -1 }));
    expect(isBerthError(bad, "InvalidArgument")).to.equal(true);
    expect((bad as { field?: string }).field).to.equal("chunkSize");
    const tagged = await failure(push(undefined, { mountFrom: ["team/base:1"] }));
    expect(isBerthError(tagged, "InvalidArgument")).to.equal(true);
    expect((tagged as { field?: string }).field).to.equal("mountFrom[0]");
  });
});
