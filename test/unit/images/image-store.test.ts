import { expect } from "chai";
import type { Digest } from "../../../agent/images/digest.js";
import type { ImageRecord } from "../../../agent/images/image-records.js";
import { findImage, mergeImage } from "../../../agent/images/image-store.js";
import { isBerthError } from "../../../lib/errors.js";

const digest = (hexStart: string): Digest => `sha256:${hexStart.padEnd(64, "0")}`;

function record(id: Digest, repoTags: string[], manifest: Digest = digest("ee")): ImageRecord {
  return {
    id,
    repoTags,
    repoDigests: [...new Set(repoTags.map((t) => t.slice(0, t.lastIndexOf(":"))))].map(
      (r) => `${r}@${manifest}`,
    ),
    manifest: {
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      digest: manifest,
      size: 1,
    },
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: id, size: 1 },
    layers: [],
    diffIds: [],
    user: "",
    platform: { os: "linux", architecture: "amd64" },
    size: 2,
  };
}

describe("agent/images image-store findImage", () => {
  const busybox = record(
    digest("abc1"),
    ["docker.io/library/busybox:latest", "docker.io/library/busybox:1.36"],
    digest("f1"),
  );
  const app = record(digest("abc2"), ["registry:5000/team/app:1"], digest("f2"));
  const images = [busybox, app];

  it("finds by tag, fully qualified or short", () => {
    expect(findImage(images, "busybox:1.36")).to.equal(busybox);
    expect(findImage(images, "docker.io/library/busybox:1.36")).to.equal(busybox);
    expect(findImage(images, "registry:5000/team/app:1")).to.equal(app);
  });

  it("takes a name without tag as :latest", () => {
    expect(findImage(images, "busybox")).to.equal(busybox);
    expect(findImage(images, "registry:5000/team/app")).to.equal(undefined);
  });

  it("finds by repo digest", () => {
    expect(findImage(images, `busybox@${digest("f1")}`)).to.equal(busybox);
    expect(findImage(images, `registry:5000/team/app@${digest("f2")}`)).to.equal(app);
    expect(findImage(images, `busybox@${digest("f2")}`)).to.equal(undefined);
  });

  it("finds by id, with or without sha256:, and by a unique id prefix", () => {
    expect(findImage(images, digest("abc2"))).to.equal(app);
    expect(findImage(images, digest("abc2").slice(7))).to.equal(app);
    expect(findImage(images, "abc1")).to.equal(busybox);
    expect(findImage(images, "sha256:abc2")).to.equal(app);
  });

  it("refuses an ambiguous id prefix", () => {
    let err: unknown;
    try {
      findImage(images, "abc");
    } catch (e) {
      err = e;
    }
    expect(isBerthError(err, "InvalidArgument")).to.equal(true);
    expect((err as Error).message).to.equal('image id prefix "abc" is ambiguous: 2 images match');
  });

  it("returns undefined for what is not there, and an error for what is not a reference", () => {
    expect(findImage(images, "alpine")).to.equal(undefined);
    expect(findImage(images, "fff")).to.equal(undefined);
    expect(findImage([], digest("abc1"))).to.equal(undefined);
    expect(() => findImage(images, "Not A Ref")).to.throw(/invalid image reference/);
  });

  it("prefers a repository named like hex over an id prefix", () => {
    const named = record(digest("99"), ["docker.io/library/abc1:latest"]);
    expect(findImage([...images, named], "abc1")).to.equal(named);
  });
});

describe("agent/images image-store mergeImage", () => {
  it("adds a new image", () => {
    const a = record(digest("a"), ["docker.io/library/a:1"]);
    expect(mergeImage([], a)).to.deep.equal([a]);
  });

  it("merges tags and repo digests into the record of the same id", () => {
    const first = record(digest("a"), ["docker.io/library/a:1"], digest("f1"));
    const again = record(digest("a"), ["docker.io/library/a:2"], digest("f2"));

    const [merged, ...rest] = mergeImage([first], again);

    expect(rest).to.deep.equal([]);
    expect(merged.repoTags).to.deep.equal(["docker.io/library/a:1", "docker.io/library/a:2"]);
    expect(merged.repoDigests).to.deep.equal([
      `docker.io/library/a@${digest("f1")}`,
      `docker.io/library/a@${digest("f2")}`,
    ]);
    expect(merged.manifest.digest).to.equal(digest("f2"));
  });

  it("moves a tag from the image that had it to the one imported with it", () => {
    const old = record(digest("a"), ["docker.io/library/app:latest", "docker.io/library/app:1"]);
    const newer = record(digest("b"), ["docker.io/library/app:latest"]);

    const images = mergeImage([old], newer);

    expect(images.find((i) => i.id === old.id)?.repoTags).to.deep.equal([
      "docker.io/library/app:1",
    ]);
    expect(images.find((i) => i.id === newer.id)?.repoTags).to.deep.equal([
      "docker.io/library/app:latest",
    ]);
  });

  it("keeps an image that lost its last tag, untagged", () => {
    const old = record(digest("a"), ["docker.io/library/app:latest"]);
    const images = mergeImage([old], record(digest("b"), ["docker.io/library/app:latest"]));
    expect(images.find((i) => i.id === old.id)?.repoTags).to.deep.equal([]);
  });
});
