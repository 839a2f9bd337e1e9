import { expect } from "chai";
import { isBerthError } from "../../../../../lib/errors.js";
import {
  validateFileMode,
  validatePathComponent,
  validatePayloadPath,
} from "../../../../../agent/kubelet/volumes/payload-path.js";
import { podFiles } from "../../../../../agent/kubelet/volumes/pod-paths.js";

function errorOf(fn: () => unknown): { message: string; field?: string; kind: string } {
  try {
    fn();
  } catch (err) {
    if (isBerthError(err)) return { message: err.message, field: err.field, kind: err.kind };
    throw err;
  }
  throw new Error("expected an error");
}

describe("volume payload paths", () => {
  it("accepts relative paths, nested ones and names that merely contain dots", () => {
    for (const p of ["key", "a/b/c", "file.txt", ".hidden", "a..b", "a/.x", "x/..y"]) {
      expect(() => validatePayloadPath(p, "f"), p).to.not.throw();
    }
  });

  it("refuses absolute paths, '..' steps and names the atomic writer reserves", () => {
    const cases: [string, RegExp][] = [
      ["/etc/passwd", /must be a relative path/],
      ["..", /must not start with '\.\.'/],
      ["..data", /must not start with '\.\.'/],
      ["../escape", /must not start with '\.\.'/],
      ["a/../../b", /must not contain '\.\.'/],
      ["a/..", /must not contain '\.\.'/],
      ["", /must not be empty/],
      ["a//b", /empty or '\.' elements/],
      ["./a", /empty or '\.' elements/],
      ["a/", /empty or '\.' elements/],
      ["a\0b", /NUL/],
      ["x".repeat(256), /at most 255/],
      [`${"a/".repeat(2100)}a`, /at most 4096/],
    ];
    for (const [p, why] of cases) {
      const err = errorOf(() => validatePayloadPath(p, "spec.volumes[1].configMap.items[0].path"));
      expect(err.kind, p).to.equal("InvalidArgument");
      expect(err.message, p).to.match(why);
      expect(err.field).to.equal("spec.volumes[1].configMap.items[0].path");
    }
  });

  it("accepts file modes 0 to 0777 only", () => {
    expect(validateFileMode(0o400, "f")).to.equal(0o400);
    expect(validateFileMode(0, "f")).to.equal(0);
    for (const bad of [0o1000, -1, 1.5, "0644", undefined]) {
      const err = errorOf(() => validateFileMode(bad, "spec.volumes[0].secret.defaultMode"));
      expect(err.message).to.match(/from 0 to 0777/);
      expect(err.field).to.equal("spec.volumes[0].secret.defaultMode");
    }
  });

  it("takes single path elements only as names", () => {
    expect(validatePathComponent("data-1", "f")).to.equal("data-1");
    for (const bad of ["", ".", "..", "a/b", undefined, 3]) {
      expect(errorOf(() => validatePathComponent(bad, "metadata.uid")).field).to.equal(
        "metadata.uid",
      );
    }
  });
});

describe("pod files layout", () => {
  it("lays a pod out as kubelet does", () => {
    const files = podFiles("/var/lib/berth/pods", "1234-abcd");
    expect(files.podDir).to.equal("/var/lib/berth/pods/1234-abcd");
    expect(files.volumesDir).to.equal("/var/lib/berth/pods/1234-abcd/volumes");
    expect(files.etcHosts).to.equal("/var/lib/berth/pods/1234-abcd/etc-hosts");
    expect(files.volumeDir("emptyDir", "cache")).to.equal(
      "/var/lib/berth/pods/1234-abcd/volumes/kubernetes.io~empty-dir/cache",
    );
    expect(files.volumeDir("configMap", "cfg")).to.match(/kubernetes\.io~configmap\/cfg$/);
    expect(files.volumeDir("secret", "s")).to.match(/kubernetes\.io~secret\/s$/);
    expect(files.volumeDir("downwardAPI", "d")).to.match(/kubernetes\.io~downward-api\/d$/);
    expect(files.terminationLog("app", "3f2a")).to.equal(
      "/var/lib/berth/pods/1234-abcd/containers/app/3f2a",
    );
  });

  it("refuses a uid or volume name that would leave the pod dir", () => {
    expect(() => podFiles("/pods", "../etc")).to.throw(/single path element/);
    expect(() => podFiles("/pods", "..")).to.throw(/not a valid name/);
    expect(() => podFiles("/pods", "u").volumeDir("emptyDir", "../../x")).to.throw(
      /single path element/,
    );
  });
});
