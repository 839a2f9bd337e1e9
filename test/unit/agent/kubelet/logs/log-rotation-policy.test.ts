import { expect } from "chai";
import {
  defaultLogRotation,
  logRotationPolicy,
  parseContainerLogMaxFiles,
  parseContainerLogMaxSize,
} from "../../../../../agent/kubelet/logs/log-rotation-policy.js";
import { BerthError } from "../../../../../lib/errors.js";

describe("agent/kubelet/logs log rotation policy (--container-log-max-size/-max-files)", () => {
  it("reads sizes as Kubernetes quantities in bytes", () => {
    expect(parseContainerLogMaxSize("10Mi")).to.equal(10 * 1024 * 1024);
    expect(parseContainerLogMaxSize("256Ki")).to.equal(256 * 1024);
    expect(parseContainerLogMaxSize("1G")).to.equal(1_000_000_000);
    expect(parseContainerLogMaxSize("1500")).to.equal(1500);
  });

  it("turns rotation off for a negative size, as kubelet does", () => {
    expect(parseContainerLogMaxSize("-1")).to.equal(undefined);
  });

  it("rejects a zero or malformed size, naming the flag", () => {
    for (const bad of ["0", "ten", "10Qi", ""]) {
      const err = (() => {
        try {
          parseContainerLogMaxSize(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(err, bad).to.be.instanceOf(BerthError);
      expect((err as BerthError).message).to.contain("container-log-max-size");
    }
  });

  it("wants at least 2 files: the live one and one rotated", () => {
    expect(parseContainerLogMaxFiles("2")).to.equal(2);
    expect(parseContainerLogMaxFiles("5")).to.equal(5);
    for (const bad of ["1", "0", "-3", "2.5", "five", ""]) {
      expect(() => parseContainerLogMaxFiles(bad), bad).to.throw(
        BerthError,
        /container-log-max-files.*≥ 2/,
      );
    }
  });

  it("fills what is left out with kubelet's defaults: 10Mi, 5 files, every 10 s", () => {
    expect(logRotationPolicy()).to.deep.equal({
      maxSizeBytes: 10 * 1024 * 1024,
      maxFiles: 5,
      monitorIntervalMs: 10_000,
    });
    expect(logRotationPolicy({ maxFiles: 3, maxSizeBytes: undefined })).to.deep.equal({
      ...defaultLogRotation,
      maxFiles: 3,
    });
  });
});
