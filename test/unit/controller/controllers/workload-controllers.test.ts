import { expect } from "chai";
import { silentLogger } from "../../../../lib/logger.js";
import { ControllerManager } from "../../../../controller/controllers/controller-manager.js";
import { startMemoryApi, type MemoryApi } from "../../../support/memory-api.js";

const node = (name: string) => ({
  metadata: { name },
  status: {
    allocatable: { cpu: "4", memory: "8Gi", pods: "110" },
    conditions: [{ type: "Ready", status: "True" }],
  },
});

const deployment = (image: string, replicas = 6) => ({
  metadata: { name: "web" },
  spec: {
    replicas,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: { containers: [{ name: "c", image, resources: { requests: { cpu: "100m" } } }] },
    },
  },
});

describe("ReplicaSet and Deployment controllers with the scheduler (in-memory store)", function () {
  this.timeout(20_000);
  let api: MemoryApi;
  let manager: ControllerManager;

  const list = async (path: string) =>
    (await api.request("GET", path)).body.items as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  // Pods bound to a node stay Terminating until their node deletes them: there is no node here.
  const running = async () =>
    (await list("/api/v1/namespaces/default/pods")).filter((p) => !p.metadata.deletionTimestamp);
  const until = async (check: () => Promise<boolean>, ms = 8000) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("timed out");
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  beforeEach(async () => {
    api = await startMemoryApi();
    await api.request("POST", "/api/v1/namespaces", { metadata: { name: "default" } });
    for (const n of ["n1", "n2", "n3"]) await api.request("POST", "/api/v1/nodes", node(n));
    manager = new ControllerManager(api.deps, silentLogger());
    await manager.start();
  });
  afterEach(async () => {
    manager.stop();
    await api.close();
  });

  it("creates a ReplicaSet with revision 1 and six pods spread 2/2/2", async () => {
    const res = await api.request(
      "POST",
      "/apis/apps/v1/namespaces/default/deployments",
      deployment("busybox:1.36"),
    );
    expect(res.status, res.text).to.equal(201);
    await until(
      async () =>
        (await list("/api/v1/namespaces/default/pods")).filter((p) => p.spec.nodeName).length === 6,
    );
    const sets = await list("/apis/apps/v1/namespaces/default/replicasets");
    expect(sets).to.have.length(1);
    expect(sets[0].metadata.name).to.match(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(sets[0].metadata.annotations["deployment.kubernetes.io/revision"]).to.equal("1");
    const perNode: Record<string, number> = {};
    for (const p of await list("/api/v1/namespaces/default/pods"))
      perNode[p.spec.nodeName] = (perNode[p.spec.nodeName] ?? 0) + 1;
    expect(perNode).to.deep.equal({ n1: 2, n2: 2, n3: 2 });
    await until(async () => {
      const d = (await api.request("GET", "/apis/apps/v1/namespaces/default/deployments/web")).body;
      return d.status?.observedGeneration === 1 && d.status?.replicas === 6;
    });
  });

  it("scales a ReplicaSet down, and the garbage collector removes everything with the Deployment", async () => {
    await api.request(
      "POST",
      "/apis/apps/v1/namespaces/default/deployments",
      deployment("busybox:1.36", 4),
    );
    await until(async () => (await running()).length === 4);
    await api.request(
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/web/scale",
      { spec: { replicas: 1 } },
      {
        "content-type": "application/merge-patch+json",
      },
    );
    await until(async () => (await running()).length === 1);
    await api.request("DELETE", "/apis/apps/v1/namespaces/default/deployments/web", {
      propagationPolicy: "Background",
    });
    await until(
      async () => (await list("/apis/apps/v1/namespaces/default/replicasets")).length === 0,
    );
    await until(async () => (await running()).length === 0);
  });
});
