import { expect } from "chai";
import { newId, requireId, resolveId } from "../../../agent/runtime/ids.js";

describe("runtime ids", () => {
  it("makes 64-hex ids", () => {
    expect(newId()).to.match(/^[a-f0-9]{64}$/);
    expect(newId()).to.not.equal(newId());
  });

  it("resolves a full id or a unique prefix, and nothing else", () => {
    const ids = ["abc111", "abd222"];
    expect(resolveId(ids, "abc111", "container", "container_id")).to.equal("abc111");
    expect(resolveId(ids, "abd", "container", "container_id")).to.equal("abd222");
    expect(resolveId(ids, "xyz", "container", "container_id")).to.equal(undefined);
    expect(() => resolveId(ids, "ab", "container", "container_id")).to.throw(/ambiguous/);
    expect(() => resolveId(ids, "", "container", "container_id")).to.throw(
      /container_id must be set/,
    );
  });

  it("fails with NotFound naming the object when required", () => {
    expect(() => requireId([], "abc", "pod sandbox", "pod_sandbox_id"))
      .to.throw(/pod sandbox "abc" not found/)
      .with.property("kind", "NotFound");
  });
});
