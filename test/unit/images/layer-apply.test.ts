import { expect } from "chai";
import { cleanName } from "../../../agent/images/layer-apply.js";
import { isBerthError } from "../../../lib/errors.js";

describe("agent/images layer-apply cleanName", () => {
  it("makes tar entry names clean relative paths", () => {
    expect(cleanName("./etc/passwd")).to.equal("etc/passwd");
    expect(cleanName("usr//lib/./x")).to.equal("usr/lib/x");
    expect(cleanName("bin/")).to.equal("bin");
    expect(cleanName("./")).to.equal("");
  });

  for (const [name, why] of [
    ["/etc/passwd", "absolute path"],
    ["../x", "escapes the layer"],
    ["a/../../x", "escapes the layer"],
    ["a/..", "escapes the layer"],
    ["a\0b", "contains NUL"],
  ]) {
    it(`rejects ${JSON.stringify(name)} (${why}) rather than fixing it up`, () => {
      let err: unknown;
      try {
        cleanName(name);
      } catch (e) {
        err = e;
      }
      expect(isBerthError(err, "InvalidArgument")).to.equal(true);
      expect((err as Error).message)
        .to.include(JSON.stringify(name))
        .and.include(why);
    });
  }
});
