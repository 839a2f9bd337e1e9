import { expect } from "chai";
import {
  forbiddenDetails,
  forbiddenMessage,
} from "../../../../controller/auth/forbidden-message.js";
import { nodeUser, pathRequest, resourceRequest } from "./attributes.js";

const alice = { name: "alice", groups: [] };

describe("controller/auth forbidden messages", () => {
  it("words a namespaced denial as Kubernetes does", () => {
    const a = resourceRequest(alice, "delete", "pods", { namespace: "default", name: "x" });
    expect(forbiddenMessage(a, "")).to.equal(
      'pods "x" is forbidden: User "alice" cannot delete resource "pods" in API group "" in the namespace "default"',
    );
    expect(forbiddenDetails(a)).to.deep.equal({ name: "x", kind: "pods" });
  });

  it("appends the reason and words the cluster scope with the subresource", () => {
    const a = resourceRequest(nodeUser("n1"), "patch", "nodes", {
      name: "n2",
      subresource: "status",
    });
    expect(forbiddenMessage(a, 'node "n1" is not allowed to modify node "n2"')).to.equal(
      'nodes "n2" is forbidden: User "system:node:n1" cannot patch resource "nodes/status" in API group "" ' +
        'at the cluster scope: node "n1" is not allowed to modify node "n2"',
    );
  });

  it("qualifies the resource with its group and leaves out an empty name", () => {
    const a = resourceRequest(alice, "list", "deployments", {
      apiGroup: "apps",
      namespace: "prod",
    });
    expect(forbiddenMessage(a, "No policy matched.")).to.equal(
      'deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" ' +
        'in the namespace "prod": No policy matched.',
    );
    expect(forbiddenDetails(a)).to.deep.equal({ group: "apps", kind: "deployments" });
  });

  it("words a non-resource denial by path", () => {
    const a = pathRequest(alice, "get", "/metrics");
    expect(forbiddenMessage(a, "")).to.equal('forbidden: User "alice" cannot get path "/metrics"');
    expect(forbiddenDetails(a)).to.deep.equal({});
  });

  it("escapes markup in the user and path", () => {
    const a = pathRequest({ name: "<b>&", groups: [] }, "get", "/x<y>");
    expect(forbiddenMessage(a, "")).to.equal(
      'forbidden: User "&lt;b&gt;&amp;" cannot get path "/x&lt;y&gt;"',
    );
  });
});
