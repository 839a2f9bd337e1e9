import { expect } from "chai";
import { authorize } from "../../../../agent/streaming/client-identity.js";

const rules = { allowedUsers: ["kube-apiserver-kubelet-client"] };

describe("who may use the streaming API", () => {
  it("admits system:masters and the allowed users", () => {
    expect(authorize({ user: "admin", groups: ["system:masters"] }, rules, "/x").user).to.equal(
      "admin",
    );
    expect(
      authorize({ user: "kube-apiserver-kubelet-client", groups: [] }, rules, "/x").user,
    ).to.equal("kube-apiserver-kubelet-client");
  });

  it("answers 401 without a verified certificate and 403 naming anyone else", () => {
    expect(() => authorize(undefined, rules, "/x"))
      .to.throw()
      .with.property("code", 401);
    expect(() =>
      authorize({ user: "system:node:n1", groups: ["system:nodes"] }, rules, "/exec/a/b/c"),
    )
      .to.throw(/user=system:node:n1.*\/exec\/a\/b\/c/)
      .with.property("code", 403);
  });

  it("takes other groups when told to", () => {
    const custom = { allowedUsers: [], allowedGroups: ["ops"] };
    expect(authorize({ user: "u", groups: ["ops"] }, custom, "/x").user).to.equal("u");
    expect(() => authorize({ user: "u", groups: ["system:masters"] }, custom, "/x")).to.throw(
      /Forbidden/,
    );
  });
});
