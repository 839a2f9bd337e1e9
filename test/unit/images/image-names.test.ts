import { expect } from "chai";
import { importNames, splitRefName } from "../../../agent/images/import/image-names.js";
import { isBerthError } from "../../../lib/errors.js";

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error");
}

describe("agent/images import names", () => {
  it("reads org.opencontainers.image.ref.name as a tag or as a whole reference", () => {
    expect(splitRefName(undefined)).to.deep.equal({});
    expect(splitRefName("")).to.deep.equal({});
    expect(splitRefName("1.36")).to.deep.equal({ tag: "1.36" });
    expect(splitRefName("busybox:1.36")).to.deep.equal({ full: "busybox:1.36" });
    expect(splitRefName("docker.io/library/busybox")).to.deep.equal({
      full: "docker.io/library/busybox",
    });
  });

  it("keeps a full reference the archive carries, normalized", () => {
    expect(importNames({ full: "busybox" }, undefined, "x")).to.deep.equal([
      "docker.io/library/busybox:latest",
    ]);
    expect(importNames({ full: "registry:5000/app:1" }, undefined, "x")).to.deep.equal([
      "registry:5000/app:1",
    ]);
  });

  it("completes a bare tag with the repository given as --name", () => {
    expect(importNames({ tag: "1.36" }, "busybox", "x")).to.deep.equal([
      "docker.io/library/busybox:1.36",
    ]);
    expect(importNames({}, "busybox", "x")).to.deep.equal(["docker.io/library/busybox:latest"]);
  });

  it("lets a tagged --name replace whatever the archive carries", () => {
    expect(importNames({ full: "busybox:1" }, "mine/app:2", "x")).to.deep.equal([
      "docker.io/mine/app:2",
    ]);
    expect(importNames({ tag: "1" }, "mine/app:2", "x")).to.deep.equal(["docker.io/mine/app:2"]);
  });

  it("keeps the archive's full reference when --name is only a repository", () => {
    expect(importNames({ full: "busybox:1" }, "mine/app", "x")).to.deep.equal([
      "docker.io/library/busybox:1",
    ]);
  });

  it("imports an image with no name and no --name untagged", () => {
    expect(importNames({}, undefined, "x")).to.deep.equal([]);
  });

  it("asks for --name when the archive carries only a tag", () => {
    const err = thrown(() => importNames({ tag: "1.36" }, undefined, "index.json manifests[0]"));
    expect(isBerthError(err, "InvalidArgument")).to.equal(true);
    expect(err.message).to.equal(
      'index.json manifests[0]: the image is tagged "1.36" without a repository; pass --name REPOSITORY',
    );
  });

  it("refuses a digest as --name: the digest comes from the image", () => {
    const err = thrown(() => importNames({}, `busybox@sha256:${"a".repeat(64)}`, "x"));
    expect(isBerthError(err, "InvalidArgument")).to.equal(true);
    expect(err.message).to.match(/^--name: give a tag, not a digest/);
  });

  it("names the origin when a carried reference is invalid", () => {
    const err = thrown(() => importNames({ full: "Not/Valid:x" }, undefined, "manifest.json[0]"));
    expect(isBerthError(err, "InvalidArgument")).to.equal(true);
    expect(err.message).to.match(/^manifest\.json\[0\]: invalid image reference "Not\/Valid:x"/);
  });
});
