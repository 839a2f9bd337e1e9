import { expect } from "chai";
import {
  isPullOnly,
  isTagResolve,
  mergeScopes,
  scopeStrings,
} from "../../../../agent/registry/transport/scope.js";

describe("registry token scopes", () => {
  it("formats repository scopes with actions in a fixed order", () => {
    expect(
      scopeStrings([{ repository: "library/busybox", actions: ["push", "pull"] }]),
    ).to.deep.equal(["repository:library/busybox:pull,push"]);
  });

  it("merges entries for one repository and sorts repositories", () => {
    expect(
      scopeStrings([
        { repository: "z/app", actions: ["pull"] },
        { repository: "a/base", actions: ["pull"] },
        { repository: "z/app", actions: ["push"] },
      ]),
    ).to.deep.equal(["repository:a/base:pull", "repository:z/app:pull,push"]);
  });

  it("gives no scope for requests that need none (GET /v2/)", () => {
    expect(scopeStrings([])).to.deep.equal([]);
  });

  it("adds a challenge's scopes without repeating the request's own", () => {
    expect(mergeScopes(["repository:a:pull"], "repository:a:pull repository:b:pull")).to.deep.equal(
      ["repository:a:pull", "repository:b:pull"],
    );
    expect(mergeScopes(["repository:a:pull"], undefined)).to.deep.equal(["repository:a:pull"]);
  });

  it("tells reads (mirrorable) from writes", () => {
    const pull = [{ repository: "a", actions: ["pull" as const] }];
    const push = [{ repository: "a", actions: ["pull" as const, "push" as const] }];
    expect(isPullOnly({ method: "GET", scope: pull })).to.equal(true);
    expect(isPullOnly({ method: "HEAD", scope: pull })).to.equal(true);
    expect(isPullOnly({ method: "HEAD", scope: push })).to.equal(false);
    expect(isPullOnly({ method: "PUT", scope: pull })).to.equal(false);
  });

  it("tells manifest requests by tag from those by digest", () => {
    expect(isTagResolve("/v2/library/busybox/manifests/latest")).to.equal(true);
    expect(isTagResolve("/v2/library/busybox/manifests/sha256:abcd")).to.equal(false);
    expect(isTagResolve("/v2/library/busybox/blobs/sha256:abcd")).to.equal(false);
  });
});
