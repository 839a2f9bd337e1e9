import { expect } from "chai";
import { resolveNodePaths } from "../../../lib/config.js";

describe("lib/config resolveNodePaths", () => {
  it("defaults to /var/lib/berth, /run/berth and a socket in the run dir", () => {
    expect(resolveNodePaths({}, {})).to.deep.equal({
      root: "/var/lib/berth",
      runDir: "/run/berth",
      criSocket: "/run/berth/berth.sock",
    });
  });

  it("prefers flags over environment over defaults", () => {
    const env = { BERTH_ROOT: "/env/root", BERTH_RUN_DIR: "/env/run" };
    const paths = resolveNodePaths({ root: "/flag/root" }, env);
    expect(paths).to.deep.equal({
      root: "/flag/root",
      runDir: "/env/run",
      criSocket: "/env/run/berth.sock",
    });
  });

  it("rejects an empty path naming the flag", () => {
    expect(() => resolveNodePaths({ root: "" }, {})).to.throw(/--root must not be empty/);
  });
});
