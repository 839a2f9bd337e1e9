import { expect } from "chai";
import { KubeClient } from "../../../../../agent/kube/kube-client.js";
import type { Node } from "../../../../../agent/kube/types.js";
import { registerNode } from "../../../../../agent/kubelet/node/node-registration.js";
import {
  sendJson,
  sendStatus,
  startFakeApi,
  type FakeApi,
} from "../../../../support/kubelet-fake-api.js";
import { testNodeFacts as testFacts } from "../../../../support/kubelet-node-fixtures.js";

describe("agent/kubelet/node registerNode", () => {
  let api: FakeApi;
  let client: KubeClient;
  let existing: Node | undefined;

  beforeEach(async () => {
    existing = undefined;
    api = await startFakeApi((req, res) => {
      if (req.method === "POST" && req.path === "/api/v1/nodes") {
        if (existing) return sendStatus(res, 409, "AlreadyExists", 'nodes "node-1" already exists');
        return sendJson(res, 201, { ...req.body, metadata: { ...req.body.metadata, uid: "u1" } });
      }
      if (req.path === "/api/v1/nodes/node-1" && req.method === "GET")
        return sendJson(res, 200, existing);
      if (req.path.startsWith("/api/v1/nodes/node-1")) return sendJson(res, 200, existing);
    });
    client = new KubeClient({ server: api.url });
  });

  afterEach(async () => {
    client.close();
    await api.close();
  });

  it("creates the Node with kubelet's labels, the agent's labels, registration taints and status", async () => {
    const taints = [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }];
    const node = await registerNode(client, testFacts, { labels: { tier: "edge" }, taints });
    expect(node.metadata?.uid).to.equal("u1");
    const [post] = api.requests;
    expect(post.query.get("fieldManager")).to.equal("berth-agent");
    expect(post.body.metadata.labels).to.deep.equal({
      tier: "edge",
      "kubernetes.io/hostname": "host-1",
      "kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64",
      "beta.kubernetes.io/os": "linux",
      "beta.kubernetes.io/arch": "amd64",
    });
    expect(post.body.metadata.labels).not.to.have.property("node.kubernetes.io/instance-type");
    expect(post.body.spec.taints).to.deep.equal(taints);
    expect(post.body.status).to.deep.include({
      capacity: testFacts.capacity,
      allocatable: testFacts.allocatable,
      addresses: testFacts.addresses,
      nodeInfo: testFacts.nodeInfo,
      daemonEndpoints: testFacts.daemonEndpoints,
    });
    expect(api.requests).to.have.length(1);
  });

  it("on 409 fixes only the labels it owns and refreshes the status, leaving taints alone", async () => {
    existing = {
      metadata: {
        name: "node-1",
        uid: "u0",
        labels: {
          "kubernetes.io/hostname": "old-host",
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": "amd64",
          "beta.kubernetes.io/os": "linux",
          "beta.kubernetes.io/arch": "amd64",
          "admin/added": "yes",
        },
      },
      spec: { taints: [{ key: "admin", effect: "NoExecute" }] },
    };
    const node = await registerNode(client, testFacts, {
      labels: { tier: "edge" },
      taints: [{ key: "dedicated", effect: "NoSchedule" }],
    });
    expect(node.metadata?.uid).to.equal("u0");
    const [, get, labels, status] = api.requests;
    expect(get.method).to.equal("GET");
    expect(labels.method).to.equal("PATCH");
    expect(labels.path).to.equal("/api/v1/nodes/node-1");
    expect(labels.headers["content-type"]).to.equal("application/strategic-merge-patch+json");
    expect(labels.body).to.deep.equal({
      metadata: { labels: { tier: "edge", "kubernetes.io/hostname": "host-1" } },
    });
    expect(status.path).to.equal("/api/v1/nodes/node-1/status");
    expect(status.body.status.capacity).to.deep.equal(testFacts.capacity);
    expect(status.body.status).not.to.have.property("conditions");
    expect(JSON.stringify(api.requests.slice(2).map((r) => r.body))).not.to.include("taints");
  });

  it("skips the label patch when the labels are right, and passes other errors on", async () => {
    existing = {
      metadata: {
        name: "node-1",
        labels: {
          "kubernetes.io/hostname": "host-1",
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": "amd64",
          "beta.kubernetes.io/os": "linux",
          "beta.kubernetes.io/arch": "amd64",
        },
      },
    };
    await registerNode(client, testFacts);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal([
      "POST /api/v1/nodes",
      "GET /api/v1/nodes/node-1",
      "PATCH /api/v1/nodes/node-1/status",
    ]);
    api.setHandler((_req, res) => sendStatus(res, 403, "Forbidden", "nodes is forbidden"));
    const err = await registerNode(client, testFacts).then(
      () => expect.fail("registration should fail"),
      (e: Error & { kind?: string }) => e,
    );
    expect(err.kind).to.equal("PermissionDenied");
    expect(err.message).to.match(/POST \/api\/v1\/nodes: nodes is forbidden/);
  });
});
