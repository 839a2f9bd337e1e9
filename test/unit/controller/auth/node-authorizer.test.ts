import { expect } from "chai";
import type {
  AuthorizationLookups,
  RequestAttributes,
} from "../../../../controller/auth/auth-api.js";
import { authorizeNode } from "../../../../controller/auth/node-authorizer.js";
import { nodeUser, pathRequest, resourceRequest } from "./attributes.js";

/** Pods by namespace/name → spec.nodeName ("" = unbound); absent = no such pod. */
function lookups(pods: Record<string, string>): AuthorizationLookups & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async podNodeName(namespace, name) {
      asked.push(`${namespace}/${name}`);
      return pods[`${namespace}/${name}`];
    },
  };
}

const n1 = nodeUser("n1");
const pods = lookups({ "default/mine": "n1", "default/theirs": "n2", "default/pending": "" });

async function decide(a: RequestAttributes) {
  const decision = await authorizeNode(a, pods);
  if (!decision) throw new Error("expected a node decision");
  return decision;
}

describe("controller/auth node rules", () => {
  it("has no opinion on users that are not nodes", async () => {
    const notANode = { name: "system:node:n1", groups: ["system:authenticated"] };
    expect(await authorizeNode(resourceRequest(notANode, "get", "pods"), pods)).to.equal(undefined);
    expect(
      await authorizeNode(
        resourceRequest({ name: "alice", groups: ["system:nodes"] }, "get", "pods"),
        pods,
      ),
    ).to.equal(undefined);
  });

  it("denies a node identity without a name", async () => {
    const d = await decide(resourceRequest(nodeUser(""), "get", "pods"));
    expect(d).to.deep.equal({ allowed: false, reason: 'unknown node for user "system:node:"' });
  });

  it("lets a node read the objects its pods need, in any namespace", async () => {
    const reads: [string, string, string][] = [
      ["list", "pods", ""],
      ["watch", "nodes", ""],
      ["get", "secrets", ""],
      ["get", "configmaps", ""],
      ["list", "services", ""],
      ["get", "endpoints", ""],
      ["get", "persistentvolumeclaims", ""],
      ["get", "persistentvolumes", ""],
      ["get", "namespaces", ""],
      ["list", "events", ""],
      ["get", "leases", "coordination.k8s.io"],
      ["list", "events", "events.k8s.io"],
    ];
    for (const [verb, resource, apiGroup] of reads) {
      const d = await decide(resourceRequest(n1, verb, resource, { apiGroup, namespace: "any" }));
      expect(d.allowed, `${verb} ${resource}`).to.equal(true);
    }
  });

  it("does not let a node read other kinds, or write what it may only read", async () => {
    expect(
      (await decide(resourceRequest(n1, "list", "deployments", { apiGroup: "apps" }))).allowed,
    ).to.equal(false);
    expect(
      (await decide(resourceRequest(n1, "list", "secrets", { apiGroup: "example.com" }))).allowed,
    ).to.equal(false);
    const d = await decide(
      resourceRequest(n1, "update", "secrets", { namespace: "default", name: "s" }),
    );
    expect(d).to.deep.equal({ allowed: false, reason: 'node "n1" cannot update secrets "s"' });
    expect(
      (await decide(resourceRequest(n1, "get", "pods", { subresource: "exec" }))).allowed,
    ).to.equal(false);
  });

  it("allows discovery and health GETs, nothing else without a resource", async () => {
    for (const p of [
      "/version",
      "/api",
      "/api/v1",
      "/apis",
      "/apis/apps/v1",
      "/healthz",
      "/readyz",
    ]) {
      expect((await decide(pathRequest(n1, "get", p))).allowed, p).to.equal(true);
    }
    expect(await decide(pathRequest(n1, "get", "/metrics"))).to.deep.equal({
      allowed: false,
      reason: 'node "n1" cannot get path "/metrics"',
    });
    expect((await decide(pathRequest(n1, "post", "/api"))).allowed).to.equal(false);
  });

  it("lets a node create and modify its own Node object, not another's", async () => {
    expect((await decide(resourceRequest(n1, "create", "nodes"))).allowed).to.equal(true);
    expect((await decide(resourceRequest(n1, "create", "nodes", { name: "n1" }))).allowed).to.equal(
      true,
    );
    for (const verb of ["update", "patch", "delete"]) {
      for (const subresource of ["", "status"]) {
        const own = await decide(resourceRequest(n1, verb, "nodes", { name: "n1", subresource }));
        expect(own.allowed, `${verb} own nodes/${subresource}`).to.equal(true);
        const other = await decide(resourceRequest(n1, verb, "nodes", { name: "n2", subresource }));
        expect(other, `${verb} other nodes/${subresource}`).to.deep.equal({
          allowed: false,
          reason: 'node "n1" is not allowed to modify node "n2"',
        });
      }
    }
    expect((await decide(resourceRequest(n1, "create", "nodes", { name: "n2" }))).allowed).to.equal(
      false,
    );
    expect((await decide(resourceRequest(n1, "deletecollection", "nodes"))).allowed).to.equal(
      false,
    );
  });

  it("lets a node manage only its own lease in kube-node-lease", async () => {
    const lease = (verb: string, name: string, namespace = "kube-node-lease") =>
      resourceRequest(n1, verb, "leases", { apiGroup: "coordination.k8s.io", namespace, name });
    expect((await decide(lease("create", ""))).allowed).to.equal(true);
    for (const verb of ["update", "patch", "delete"]) {
      expect((await decide(lease(verb, "n1"))).allowed, verb).to.equal(true);
      expect(await decide(lease(verb, "n2"))).to.deep.equal({
        allowed: false,
        reason: 'node "n1" can only access the lease named "n1" in namespace "kube-node-lease"',
      });
    }
    expect((await decide(lease("update", "n1", "kube-system"))).allowed).to.equal(false);
  });

  it("lets a node create, update and patch events but not delete them", async () => {
    for (const verb of ["create", "update", "patch"]) {
      expect(
        (await decide(resourceRequest(n1, verb, "events", { namespace: "default" }))).allowed,
      ).to.equal(true);
      const modern = resourceRequest(n1, verb, "events", {
        apiGroup: "events.k8s.io",
        namespace: "default",
      });
      expect((await decide(modern)).allowed).to.equal(true);
    }
    expect(
      (await decide(resourceRequest(n1, "delete", "events", { namespace: "default", name: "e" })))
        .allowed,
    ).to.equal(false);
  });

  it("lets a node write the status of pods bound to it only", async () => {
    const status = (verb: string, name: string) =>
      resourceRequest(n1, verb, "pods", { namespace: "default", name, subresource: "status" });
    expect((await decide(status("patch", "mine"))).allowed).to.equal(true);
    expect((await decide(status("update", "mine"))).allowed).to.equal(true);
    const reason = 'node "n1" can only update pod status for pods with spec.nodeName set to itself';
    expect(await decide(status("patch", "theirs"))).to.deep.equal({ allowed: false, reason });
    expect(await decide(status("update", "pending")), "an unbound pod").to.deep.equal({
      allowed: false,
      reason,
    });
    expect(pods.asked).to.include("default/theirs");
  });

  it("lets a node delete pods bound to it only, and a missing pod reach its 404", async () => {
    const del = (name: string) =>
      resourceRequest(n1, "delete", "pods", { namespace: "default", name });
    expect((await decide(del("mine"))).allowed).to.equal(true);
    expect(await decide(del("theirs"))).to.deep.equal({
      allowed: false,
      reason: 'node "n1" can only delete pods with spec.nodeName set to itself',
    });
    expect((await decide(del("pending"))).allowed).to.equal(false);
    expect((await decide(del("gone"))).allowed).to.equal(true);
  });

  it("does not let a node create, update or evict pods", async () => {
    expect(
      await decide(resourceRequest(n1, "create", "pods", { namespace: "default" })),
    ).to.deep.equal({
      allowed: false,
      reason: 'node "n1" cannot create pods',
    });
    expect(
      (await decide(resourceRequest(n1, "update", "pods", { namespace: "default", name: "mine" })))
        .allowed,
    ).to.equal(false);
    const evict = resourceRequest(n1, "create", "pods", {
      namespace: "default",
      name: "mine",
      subresource: "eviction",
    });
    expect(await decide(evict)).to.deep.equal({
      allowed: false,
      reason: 'node "n1" cannot create pods/eviction "mine"',
    });
  });
});
