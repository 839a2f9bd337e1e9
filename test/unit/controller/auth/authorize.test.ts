import { expect } from "chai";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createAuthorizer } from "../../../../controller/auth/authorize.js";
import { tempDir } from "../../../support/temp-dir.js";
import { nodeUser, pathRequest, resourceRequest } from "./attributes.js";

const noPods = { podNodeName: async () => undefined };
const policyLine = (spec: Record<string, unknown>) =>
  JSON.stringify({ apiVersion: "abac.authorization.kubernetes.io/v1beta1", kind: "Policy", spec });

describe("controller/auth createAuthorizer", () => {
  let dir: ReturnType<typeof tempDir>;
  let policyFile: string;
  before(() => {
    dir = tempDir("authorize");
    policyFile = path.join(dir.path, "policy.jsonl");
    writeFileSync(
      policyFile,
      [
        policyLine({ user: "alice", namespace: "*", resource: "*", apiGroup: "*", readonly: true }),
        policyLine({
          user: "system:node:n1",
          namespace: "*",
          resource: "secrets",
          apiGroup: "",
          readonly: false,
        }),
      ].join("\n") + "\n",
    );
  });
  after(() => dir.remove());

  it("allows everything to system:masters", async () => {
    const admin = { name: "berth-admin", groups: ["system:masters", "system:authenticated"] };
    const authz = createAuthorizer({ lookups: noPods });
    expect(
      await authz.authorize(resourceRequest(admin, "deletecollection", "nodes")),
    ).to.deep.equal({
      allowed: true,
      reason: "",
    });
    expect((await authz.authorize(pathRequest(admin, "post", "/anything"))).allowed).to.equal(true);
  });

  it("denies everyone else when there is no policy file, with no reason", async () => {
    const authz = createAuthorizer({ lookups: noPods });
    const d = await authz.authorize(resourceRequest({ name: "alice", groups: [] }, "get", "pods"));
    expect(d).to.deep.equal({ allowed: false, reason: "" });
  });

  it("applies the ABAC policy, saying when no policy matched", async () => {
    const authz = createAuthorizer({ policyFile, lookups: noPods });
    const alice = { name: "alice", groups: ["system:authenticated"] };
    expect(
      (await authz.authorize(resourceRequest(alice, "list", "pods", { namespace: "x" }))).allowed,
    ).to.equal(true);
    expect(
      await authz.authorize(
        resourceRequest(alice, "delete", "pods", { namespace: "x", name: "p" }),
      ),
    ).to.deep.equal({
      allowed: false,
      reason: "No policy matched.",
    });
  });

  it("lets the policy grant a node more than the node rules, keeping the node reason otherwise", async () => {
    const authz = createAuthorizer({ policyFile, lookups: noPods });
    const write = resourceRequest(nodeUser("n1"), "update", "secrets", {
      namespace: "x",
      name: "s",
    });
    expect((await authz.authorize(write)).allowed).to.equal(true);
    const other = await authz.authorize(
      resourceRequest(nodeUser("n1"), "patch", "nodes", { name: "n2" }),
    );
    expect(other).to.deep.equal({
      allowed: false,
      reason: 'node "n1" is not allowed to modify node "n2"',
    });
    expect(
      (await authz.authorize(resourceRequest(nodeUser("n1"), "patch", "nodes", { name: "n1" })))
        .allowed,
    ).to.equal(true);
  });

  it("fails at creation on a bad policy file, naming the line", () => {
    const bad = path.join(dir.path, "bad.jsonl");
    writeFileSync(bad, `${policyLine({ user: "a" })}\n\n{"apiVersion":\n`);
    expect(() => createAuthorizer({ policyFile: bad, lookups: noPods })).to.throw(
      /bad\.jsonl: line 3: not a JSON object/,
    );
    expect(() =>
      createAuthorizer({ policyFile: path.join(dir.path, "none"), lookups: noPods }),
    ).to.throw(/policy file .*none/);
  });
});
