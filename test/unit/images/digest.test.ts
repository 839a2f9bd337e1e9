import { expect } from "chai";
import { chainIds, isDigest, parseDigest, sha256 } from "../../../agent/images/digest.js";
import { isBerthError } from "../../../lib/errors.js";

// Computed outside Node: printf '<parent> <diff_id>' | sha256sum
const layerA = "sha256:8a74c5338f1ca6b4b751802e195c85cd48c6d54e5f38d19a4e5ea902baa60af7";
const layerB = "sha256:4660645c73f48eb8f67e661ea54842f9fabb1ae261238e0538d1b952b00863f9";
const layerC = "sha256:63faee8dfdaa1586f6f474a3e8b27d8aeb7ebde13392b7af762889d51793799a";
const chainAB = "sha256:96097a2f877d2a7d46e93242c3e704909aa0d4486b8e4a03c8d91739d51f35c8";
const chainABC = "sha256:eb60e3bb7bee074fb571fcbd9d3494f1ab5477da651e899915c6ee6bfb985b4f";

describe("agent/images digest", () => {
  it("hashes bytes to a sha256 digest", () => {
    expect(sha256("layer a")).to.equal(layerA);
  });

  it("computes the OCI chain IDs of a layer stack: the first is its diff_id, each next hashes 'parent diff_id'", () => {
    expect(chainIds([layerA, layerB, layerC])).to.deep.equal([layerA, chainAB, chainABC]);
    expect(chainIds([])).to.deep.equal([]);
  });

  it("accepts only lowercase sha256 digests of 64 hex digits", () => {
    expect(isDigest(layerA)).to.equal(true);
    expect(isDigest(layerA.toUpperCase())).to.equal(false);
    expect(isDigest(layerA.slice(0, -1))).to.equal(false);
    expect(isDigest(`sha512:${layerA.slice(7)}`)).to.equal(false);
    expect(isDigest(42)).to.equal(false);
  });

  it("names the field when a digest does not parse", () => {
    const err = (() => {
      try {
        parseDigest("sha256:nope", "config.digest");
      } catch (e) {
        return e;
      }
    })();
    expect(isBerthError(err, "InvalidArgument")).to.equal(true);
    expect((err as Error).message).to.equal('config.digest: "sha256:nope" is not a sha256 digest');
  });
});
