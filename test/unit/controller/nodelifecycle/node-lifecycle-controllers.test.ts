import { expect } from "chai";
import { silentLogger } from "../../../../lib/logger.js";
import { ControllerManager } from "../../../../controller/controllers/controller-manager.js";
import { startMemoryApi, type MemoryApi } from "../../../support/memory-api.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- API answers are loosely typed JSON */

const graceMs = 1500;
const micro = (d: Date) => `${d.toISOString().slice(0, 23)}000Z`;
const unreachable = "node.kubernetes.io/unreachable";

const readyConditions = (now: Date) =>
  ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"].map((type) => ({
    type,
    status: type === "Ready" ? "True" : "False",
    reason: "Kubelet",
    lastHeartbeatTime: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    lastTransitionTime: "2025-01-01T00:00:00Z",
  }));

describe("node lifecycle and taint eviction controllers (in-memory store)", function () {
  this.timeout(30_000);
  let api: MemoryApi;
  let manager: ControllerManager;
  let beating: NodeJS.Timeout;
  const alive = new Set(["a", "b"]);

  const get = async (path: string) => (await api.request("GET", path)).body;
  const pod = (name: string) => get(`/api/v1/namespaces/shop/pods/${name}`);
  const until = async <T>(what: string, check: () => Promise<T | undefined>, ms = 8000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const renew = (name: string) =>
    api.request(
      "PATCH",
      `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`,
      { spec: { renewTime: micro(new Date()) } },
      { "content-type": "application/merge-patch+json" },
    );
  const postReady = (name: string) =>
    api.request(
      "PATCH",
      `/api/v1/nodes/${name}/status`,
      { status: { conditions: readyConditions(new Date()) } },
      { "content-type": "application/merge-patch+json" },
    );
  const runningPod = async (name: string, nodeName: string, tolerations?: unknown[]) => {
    const created = await api.request("POST", "/api/v1/namespaces/shop/pods", {
      metadata: { name },
      spec: {
        nodeName,
        containers: [{ name: "c", image: "busybox:1.36" }],
        ...(tolerations ? { tolerations } : {}),
      },
    });
    expect(created.status, created.text).to.equal(201);
    const running = await api.request(
      "PATCH",
      `/api/v1/namespaces/shop/pods/${name}/status`,
      { status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(running.status, running.text).to.equal(200);
  };
  const events = async (reason: string) =>
    ((await get("/api/v1/events")).items as any[]).filter((e) => e.reason === reason);

  before(async () => {
    api = await startMemoryApi();
    for (const ns of ["default", "shop", "kube-node-lease"])
      await api.request("POST", "/api/v1/namespaces", { metadata: { name: ns } });
    for (const name of ["a", "b", "c"]) {
      await api.request("POST", "/api/v1/nodes", {
        metadata: { name },
        status: { conditions: readyConditions(new Date()) },
      });
      await api.request("POST", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", {
        metadata: { name },
        spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: micro(new Date()) },
      });
    }
    const toleration = (seconds?: number) => ({
      key: unreachable,
      operator: "Exists",
      effect: "NoExecute",
      ...(seconds === undefined ? {} : { tolerationSeconds: seconds }),
    });
    await runningPod("zero", "c", [toleration(0)]);
    await runningPod("three", "c", [toleration(3)]);
    await runningPod("long", "c", [toleration(60)]);
    await runningPod("forever", "c", [toleration()]);
    await runningPod("healthy", "a");
    beating = setInterval(() => {
      for (const name of alive) void renew(name);
    }, 200);
    manager = new ControllerManager(api.deps, silentLogger(), {
      nodeLifecycle: { gracePeriodMs: graceMs, monitorPeriodMs: 50 },
    });
    await manager.start();
  });

  after(async () => {
    clearInterval(beating);
    manager?.stop();
    await api?.close();
  });

  it("marks a node whose Lease stops Unknown after the grace period and taints it unreachable", async () => {
    await new Promise((r) => setTimeout(r, graceMs / 2));
    const early = await get("/api/v1/nodes/c");
    expect(early.status.conditions.find((c: any) => c.type === "Ready").status).to.equal("True");
    const node = await until("c Unknown and tainted", async () => {
      const n = await get("/api/v1/nodes/c");
      return (n.spec?.taints ?? []).length === 2 ? n : undefined;
    });
    for (const type of ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]) {
      expect(
        node.status.conditions.find((c: any) => c.type === type),
        type,
      ).to.include({
        status: "Unknown",
        reason: "NodeStatusUnknown",
        message: "Kubelet stopped posting node status.",
      });
    }
    expect(node.spec.taints.map((t: any) => `${t.key}:${t.effect}`)).to.have.members([
      `${unreachable}:NoExecute`,
      `${unreachable}:NoSchedule`,
    ]);
    for (const t of node.spec.taints) expect(t.timeAdded).to.match(/Z$/);
    for (const name of ["a", "b"]) {
      const healthy = await get(`/api/v1/nodes/${name}`);
      expect(healthy.spec?.taints, name).to.equal(undefined);
    }
    const nodeEvents = await until("a NodeNotReady node event", async () => {
      const found = (await events("NodeNotReady")).filter((e) => e.involvedObject.kind === "Node");
      return found.length > 0 ? found : undefined;
    });
    expect(nodeEvents[0]).to.deep.include({
      message: "Node c status is now: NodeNotReady",
      type: "Normal",
    });
    expect(nodeEvents[0].involvedObject).to.include({ name: "c", uid: "c" });
  });

  it("marks the node's pods not Ready and evicts those whose toleration ran out", async () => {
    const forever = await until("forever not Ready", async () => {
      const p = await pod("forever");
      return p.status.conditions.find((c: any) => c.type === "Ready").status === "False"
        ? p
        : undefined;
    });
    expect(forever.metadata.deletionTimestamp).to.equal(undefined);
    const zero = await until("zero evicted", async () => {
      const p = await pod("zero");
      return p.metadata.deletionTimestamp ? p : undefined;
    });
    expect(zero.status.conditions.find((c: any) => c.type === "DisruptionTarget")).to.include({
      status: "True",
      reason: "DeletionByTaintManager",
    });
    // "three" tolerates 3 s from the taint's timeAdded (whole seconds): still there a moment later.
    const taint = (await get("/api/v1/nodes/c")).spec.taints.find(
      (t: any) => t.effect === "NoExecute",
    );
    const dueAt = Date.parse(taint.timeAdded) + 3000;
    if (Date.now() < dueAt - 500) {
      expect((await pod("three")).metadata.deletionTimestamp).to.equal(undefined);
    }
    await until("three evicted", async () =>
      (await pod("three")).metadata.deletionTimestamp ? true : undefined,
    );
    expect(Date.now()).to.be.at.least(dueAt - 50);
    const evictions = await until("eviction events", async () => {
      const found = await events("TaintManagerEviction");
      return found.length >= 2 ? found : undefined;
    });
    expect(evictions.map((e) => e.message)).to.include.members([
      "Marking for deletion Pod shop/zero",
      "Marking for deletion Pod shop/three",
    ]);
    expect(
      (await events("NodeNotReady")).filter((e) => e.involvedObject.kind === "Pod").length,
    ).to.be.at.least(1);
    for (const name of ["long", "forever", "healthy"]) {
      expect((await pod(name)).metadata.deletionTimestamp, name).to.equal(undefined);
    }
    expect((await pod("healthy")).status.conditions[0].status).to.equal("True");
  });

  it("removes the taints when the node is back and cancels the pending eviction", async () => {
    alive.add("c");
    await renew("c");
    await postReady("c");
    await until("c untainted", async () =>
      (await get("/api/v1/nodes/c")).spec?.taints === undefined ? true : undefined,
    );
    const cancelled = await until("the cancel event", async () => {
      const found = (await events("TaintManagerEviction")).filter((e) =>
        e.message.startsWith("Cancelling"),
      );
      return found.length > 0 ? found : undefined;
    });
    expect(cancelled.map((e) => e.message)).to.deep.equal(["Cancelling deletion of Pod shop/long"]);
    expect((await pod("long")).metadata.deletionTimestamp).to.equal(undefined);
  });

  it("evicts at once a pod that does not tolerate a NoExecute taint someone adds", async () => {
    await runningPod("gpu-job", "b", [{ key: "dedicated", value: "gpu", effect: "NoExecute" }]);
    await runningPod("web", "b");
    const tainted = await api.request(
      "PATCH",
      "/api/v1/nodes/b",
      { spec: { taints: [{ key: "dedicated", value: "gpu", effect: "NoExecute" }] } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(tainted.status, tainted.text).to.equal(200);
    await until("web evicted", async () =>
      (await pod("web")).metadata.deletionTimestamp ? true : undefined,
    );
    expect((await pod("gpu-job")).metadata.deletionTimestamp).to.equal(undefined);
    // The user's taint is not the node lifecycle's to remove.
    await new Promise((r) => setTimeout(r, 200));
    expect((await get("/api/v1/nodes/b")).spec.taints).to.have.length(1);
  });
});
