import { expect } from "chai";
import { fetchManifest, manifestAccept } from "../../../../agent/registry/pull/resolve-manifest.js";
import { registryTarget } from "../../../../agent/registry/pull/registry-target.js";
import { parseReference } from "../../../../agent/images/reference.js";
import { isBerthError } from "../../../../lib/errors.js";
import { ociMediaTypes, sha256 } from "../../../fixtures/fixture-image.js";
import { FakeRegistry } from "./fake-registry.js";
import { tinyImage } from "./tiny-image.js";

const schema1 = Buffer.from(
  JSON.stringify({
    schemaVersion: 1,
    name: "team/old",
    tag: "v1",
    fsLayers: [],
    history: [],
    signatures: [],
  }),
);

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a failure");
}

describe("agent/registry/pull manifest resolution", () => {
  let registry: FakeRegistry;
  const target = () => registryTarget(registry, parseReference("127.0.0.1:5000/team/app"));
  beforeEach(() => {
    registry = new FakeRegistry();
  });

  it("asks for OCI and Docker schema 2 manifests and indexes, on the repository path", async () => {
    const image = await tinyImage(1);
    registry.putManifest("team/app", image.manifest.bytes, ociMediaTypes.manifest, "v1");
    const got = await fetchManifest(target(), "v1", "127.0.0.1:5000/team/app:v1");
    expect(got.digest).to.equal(image.manifest.digest);
    expect(got.mediaType).to.equal(ociMediaTypes.manifest);
    const [req] = registry.requests;
    expect(req.host).to.equal("127.0.0.1:5000");
    expect(req.url).to.equal("http://127.0.0.1:5000/v2/team/app/manifests/v1");
    for (const t of [
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
    ]) {
      expect(req.headers.accept).to.include(t);
    }
    expect(manifestAccept).to.not.include("distribution.manifest.v1");
  });

  it("refuses bytes that do not hash to the digest pulled", async () => {
    const image = await tinyImage(1);
    const other = Buffer.from(image.manifest.bytes.toString().replace("layers", "layers "));
    registry.putManifest("team/app", other, ociMediaTypes.manifest, image.manifest.digest);
    const err = await failure(fetchManifest(target(), image.manifest.digest, "r@d"));
    expect(isBerthError(err, "InvalidArgument")).to.equal(true);
    expect(err.message)
      .to.match(/digest mismatch/)
      .and.include(sha256(other));
  });

  it("by tag, checks Docker-Content-Digest when the registry sends one", async () => {
    const image = await tinyImage(1);
    const lie = `sha256:${"e".repeat(64)}`;
    registry.putManifest("team/app", image.manifest.bytes, ociMediaTypes.manifest, "v1", lie);
    const err = await failure(fetchManifest(target(), "v1", "r:v1"));
    expect(err.message).to.include(`Docker-Content-Digest says ${lie}`);
    registry.putManifest("team/app", image.manifest.bytes, ociMediaTypes.manifest, "v2", null);
    expect((await fetchManifest(target(), "v2", "r:v2")).digest).to.equal(image.manifest.digest);
  });

  for (const [how, contentType] of [
    ["by Content-Type v1+prettyjws", "application/vnd.docker.distribution.manifest.v1+prettyjws"],
    ["by Content-Type v1+json", "application/vnd.docker.distribution.manifest.v1+json"],
    ["by schemaVersion 1 in the body", "application/json"],
  ]) {
    it(`refuses a schema 1 manifest clearly, naming the reference (${how})`, async () => {
      registry.putManifest("team/app", schema1, contentType, "v1");
      const err = await failure(fetchManifest(target(), "v1", "127.0.0.1:5000/team/app:v1"));
      expect(isBerthError(err, "InvalidArgument")).to.equal(true);
      expect(err.message).to.include("image 127.0.0.1:5000/team/app:v1");
      expect(err.message).to.include("schema 1");
      expect(err.message).to.include("not supported");
    });
  }

  it("takes the media type from the body, else from Content-Type", async () => {
    const noType = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] }));
    registry.putManifest("team/app", noType, ociMediaTypes.index, "idx");
    expect((await fetchManifest(target(), "idx", "r")).mediaType).to.equal(ociMediaTypes.index);
    registry.putManifest("team/app", noType, "application/json", "idx2");
    expect((await fetchManifest(target(), "idx2", "r")).mediaType).to.equal(ociMediaTypes.index);
  });
});
