import { expect } from "chai";
import { toCriImage } from "../../../agent/cri/image/cri-image.js";
import type { ImageRecord } from "../../../agent/images/image-records.js";

const record = (user: string): ImageRecord => ({
  id: `sha256:${"a".repeat(64)}`,
  repoTags: ["docker.io/library/busybox:latest"],
  repoDigests: [`docker.io/library/busybox@sha256:${"b".repeat(64)}`],
  manifest: { mediaType: "m", digest: `sha256:${"b".repeat(64)}`, size: 10 },
  config: { mediaType: "c", digest: `sha256:${"a".repeat(64)}`, size: 20 },
  layers: [],
  diffIds: [],
  user,
  platform: { os: "linux", architecture: "amd64" },
  size: 30,
});

describe("CRI Image from an image record", () => {
  it("carries id, tags, digests and size (as a uint64 string)", () => {
    const image = toCriImage(record(""));
    expect(image.id).to.equal(`sha256:${"a".repeat(64)}`);
    expect(image.repo_tags).to.deep.equal(["docker.io/library/busybox:latest"]);
    expect(image.repo_digests).to.have.length(1);
    expect(image.size).to.equal("30");
    expect(image.spec?.image).to.equal(image.id);
  });

  it("reports a numeric USER as uid and a named one as username", () => {
    expect(toCriImage(record("1000:1000")).uid).to.deep.equal({ value: "1000" });
    expect(toCriImage(record("1000:1000")).username).to.equal("");
    expect(toCriImage(record("nobody")).uid).to.equal(null);
    expect(toCriImage(record("nobody")).username).to.equal("nobody");
  });
});
