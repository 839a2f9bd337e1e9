import { expect } from "chai";
import { abacAllows } from "../../../../controller/auth/abac-match.js";
import { parseAbacPolicies } from "../../../../controller/auth/abac-policy.js";
import { pathRequest, resourceRequest } from "./attributes.js";

const policy = (spec: Record<string, unknown>) =>
  JSON.stringify({ apiVersion: "abac.authorization.kubernetes.io/v1beta1", kind: "Policy", spec });

const alice = { name: "alice", groups: ["devs", "system:authenticated"] };
const bob = { name: "bob", groups: ["system:authenticated"] };

describe("controller/auth ABAC policy", () => {
  describe("parsing", () => {
    it("reads one policy per line, skipping blank and # lines, with Kubernetes' defaults", () => {
      const text = ["# team policies", "", policy({ user: "alice", readonly: true }), "  "].join(
        "\n",
      );
      expect(parseAbacPolicies(text, "policy.jsonl")).to.deep.equal([
        {
          line: 3,
          user: "alice",
          group: "",
          readonly: true,
          apiGroup: "",
          resource: "",
          namespace: "",
          nonResourcePath: "",
        },
      ]);
    });

    it("names the line of malformed JSON", () => {
      const text = [policy({ user: "a" }), "{not json"].join("\n");
      expect(() => parseAbacPolicies(text, "policy.jsonl")).to.throw(
        /policy\.jsonl: line 2: not a JSON object/,
      );
    });

    it("names the line and the problem for wrong apiVersion, kind, field types and unknown fields", () => {
      const cases: [string, RegExp][] = [
        [
          JSON.stringify({ apiVersion: "v1", kind: "Policy", spec: { user: "a" } }),
          /apiVersion must be/,
        ],
        [
          JSON.stringify({
            apiVersion: "abac.authorization.kubernetes.io/v1beta1",
            kind: "Role",
            spec: {},
          }),
          /kind must be "Policy"/,
        ],
        [policy({ user: "a", readonly: "yes" }), /spec\.readonly must be true or false/],
        [policy({ user: 7 }), /spec\.user must be a string/],
        [policy({ user: "a", namspace: "x" }), /unknown field spec\.namspace/],
        [policy({ namespace: "*" }), /spec\.user or spec\.group is required/],
        ["[1]", /not a JSON object/],
      ];
      for (const [line, error] of cases) {
        expect(() => parseAbacPolicies(`\n${line}`, "p"), line).to.throw(
          new RegExp(`p: line 2: ${error.source}`),
        );
      }
    });
  });

  describe("matching", () => {
    const policies = (...specs: Record<string, unknown>[]) =>
      parseAbacPolicies(specs.map(policy).join("\n"), "p");

    it("lets a read-only policy allow get/list/watch but not writes", () => {
      const p = policies({
        user: "alice",
        namespace: "*",
        resource: "*",
        apiGroup: "*",
        readonly: true,
      });
      expect(
        abacAllows(p, resourceRequest(alice, "list", "pods", { namespace: "default" })),
      ).to.equal(true);
      expect(
        abacAllows(p, resourceRequest(alice, "watch", "deployments", { apiGroup: "apps" })),
      ).to.equal(true);
      expect(
        abacAllows(p, resourceRequest(alice, "delete", "pods", { namespace: "default" })),
      ).to.equal(false);
      expect(abacAllows(p, resourceRequest(bob, "get", "pods", { namespace: "default" }))).to.equal(
        false,
      );
    });

    it("matches namespace, resource and API group exactly unless *", () => {
      const p = policies({ group: "devs", namespace: "dev", resource: "pods", apiGroup: "" });
      expect(
        abacAllows(p, resourceRequest(alice, "create", "pods", { namespace: "dev" })),
      ).to.equal(true);
      expect(
        abacAllows(p, resourceRequest(alice, "create", "pods", { namespace: "prod" })),
      ).to.equal(false);
      expect(
        abacAllows(p, resourceRequest(alice, "create", "services", { namespace: "dev" })),
      ).to.equal(false);
      expect(
        abacAllows(
          p,
          resourceRequest(alice, "update", "pods", { namespace: "dev", subresource: "status" }),
        ),
        "subresources follow their resource",
      ).to.equal(true);
      expect(abacAllows(p, resourceRequest(bob, "create", "pods", { namespace: "dev" }))).to.equal(
        false,
      );
    });

    it("treats an empty namespace as cluster scope only", () => {
      const p = policies({ user: "alice", resource: "nodes", apiGroup: "" });
      expect(abacAllows(p, resourceRequest(alice, "delete", "nodes", { name: "n1" }))).to.equal(
        true,
      );
      expect(abacAllows(p, resourceRequest(alice, "delete", "nodes", { namespace: "x" }))).to.equal(
        false,
      );
    });

    it("requires both user and group when a policy names both, and * matches anyone", () => {
      const both = policies({
        user: "alice",
        group: "ops",
        namespace: "*",
        resource: "*",
        apiGroup: "*",
      });
      expect(abacAllows(both, resourceRequest(alice, "get", "pods"))).to.equal(false);
      const anyone = policies({ user: "*", namespace: "*", resource: "*", apiGroup: "*" });
      expect(abacAllows(anyone, resourceRequest(bob, "delete", "pods"))).to.equal(true);
    });

    it("matches non-resource paths exactly, by * or by a trailing * prefix", () => {
      const p = policies(
        { group: "system:authenticated", readonly: true, nonResourcePath: "/version" },
        { user: "alice", readonly: true, nonResourcePath: "/apis/*" },
      );
      expect(abacAllows(p, pathRequest(bob, "get", "/version"))).to.equal(true);
      expect(abacAllows(p, pathRequest(bob, "get", "/versions"))).to.equal(false);
      expect(abacAllows(p, pathRequest(bob, "post", "/version"))).to.equal(false);
      expect(abacAllows(p, pathRequest(alice, "get", "/apis/apps/v1"))).to.equal(true);
      expect(abacAllows(p, pathRequest(bob, "get", "/apis/apps/v1"))).to.equal(false);
      const all = policies({ user: "bob", nonResourcePath: "*" });
      expect(abacAllows(all, pathRequest(bob, "post", "/anything"))).to.equal(true);
      expect(abacAllows(all, resourceRequest(bob, "get", "pods")), "not resources").to.equal(false);
    });
  });
});
