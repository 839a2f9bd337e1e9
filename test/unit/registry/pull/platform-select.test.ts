import { expect } from "chai";
import type { Descriptor } from "../../../../agent/images/manifest.js";
import {
  defaultPlatform,
  normalizePlatform,
  selectManifest,
} from "../../../../agent/registry/pull/platform-select.js";
import { isBerthError } from "../../../../lib/errors.js";

const manifestType = "application/vnd.oci.image.manifest.v1+json";

function entry(n: number, os: string, architecture: string, variant?: string): Descriptor {
  return {
    mediaType: manifestType,
    digest: `sha256:${String(n).repeat(64).slice(0, 64)}`,
    size: 100 + n,
    platform: { os, architecture, ...(variant ? { variant } : {}) },
  };
}

describe("agent/registry/pull platform selection", () => {
  const index = [
    entry(1, "linux", "arm64", "v8"),
    entry(2, "linux", "amd64"),
    entry(3, "linux", "arm", "v6"),
    entry(4, "windows", "amd64"),
    {
      ...entry(5, "unknown", "unknown"),
      annotations: { "vnd.docker.reference.type": "attestation-manifest" },
    },
  ];

  it("picks linux/amd64 for an amd64 host, whatever order the index lists", () => {
    expect(selectManifest(index, { os: "linux", architecture: "amd64" }, "x")).to.equal(index[1]);
    expect(
      selectManifest([...index].reverse(), { os: "linux", architecture: "amd64" }, "x"),
    ).to.equal(index[1]);
  });

  it("defaults to this host, normalized", () => {
    const host = defaultPlatform();
    expect(host.os).to.equal("linux");
    if (process.arch === "x64") expect(host).to.deep.equal({ os: "linux", architecture: "amd64" });
  });

  it("treats arm64 without a variant as v8, and aarch64 as arm64", () => {
    expect(selectManifest(index, { os: "linux", architecture: "arm64" }, "x")).to.equal(index[0]);
    expect(selectManifest(index, { os: "linux", architecture: "aarch64" }, "x")).to.equal(index[0]);
    const noVariant = [entry(7, "linux", "arm64")];
    expect(
      selectManifest(noVariant, { os: "linux", architecture: "arm64", variant: "v8" }, "x"),
    ).to.equal(noVariant[0]);
  });

  it("gives amd64 no variant (v1 is the baseline) and x86_64 is amd64", () => {
    expect(normalizePlatform({ os: "linux", architecture: "amd64", variant: "v1" })).to.deep.equal({
      os: "linux",
      architecture: "amd64",
    });
    expect(normalizePlatform({ os: "Linux", architecture: "x86_64" })).to.deep.equal({
      os: "linux",
      architecture: "amd64",
    });
    expect(
      selectManifest(
        [entry(8, "linux", "amd64", "v1")],
        { os: "linux", architecture: "amd64" },
        "x",
      ).digest,
    ).to.match(/^sha256:8/);
  });

  it("lets arm v7 run a v6 image when there is no v7 one, and prefers v7", () => {
    expect(
      selectManifest(index, { os: "linux", architecture: "arm", variant: "v7" }, "x"),
    ).to.equal(index[2]);
    const both = [entry(3, "linux", "arm", "v6"), entry(6, "linux", "arm", "v7")];
    expect(selectManifest(both, { os: "linux", architecture: "arm" }, "x")).to.equal(both[1]);
    expect(() =>
      selectManifest(
        [entry(6, "linux", "arm", "v7")],
        { os: "linux", architecture: "arm", variant: "v6" },
        "x",
      ),
    ).to.throw(/no manifest/);
  });

  it("fails NotFound naming the platform wanted and those available", () => {
    let err: unknown;
    try {
      selectManifest(index, { os: "linux", architecture: "s390x" }, "image r:1 (index sha256:abc)");
    } catch (e) {
      err = e;
    }
    expect(isBerthError(err, "NotFound")).to.equal(true);
    const message = (err as Error).message;
    expect(message).to.include("image r:1");
    expect(message).to.include("linux/s390x");
    expect(message).to.match(
      /the index has linux\/arm64\/v8, linux\/amd64, linux\/arm\/v6, windows\/amd64$/,
    );
  });

  it("ignores index entries that are not image manifests", () => {
    const nested = [
      { ...entry(9, "linux", "amd64"), mediaType: "application/vnd.oci.image.index.v1+json" },
    ];
    expect(() => selectManifest(nested, { os: "linux", architecture: "amd64" }, "x")).to.throw(
      /no platform-specific manifests/,
    );
  });
});
