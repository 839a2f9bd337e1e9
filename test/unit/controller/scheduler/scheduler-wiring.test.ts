import { expect } from "chai";
import { silentLogger } from "../../../../lib/logger.js";
import { InformerSet } from "../../../../controller/client/informer-set.js";
import { Scheduler } from "../../../../controller/scheduler/scheduler.js";
import { startMemoryApi, type MemoryApi } from "../../../support/memory-api.js";

const node = (name: string, cpu = "2", extra: Record<string, unknown> = {}) => ({
  metadata: { name, labels: { "kubernetes.io/hostname": name } },
  status: {
    capacity: { cpu, memory: "4Gi", pods: "110" },
    allocatable: { cpu, memory: "4Gi", pods: "110" },
    conditions: [{ type: "Ready", status: "True" }],
  },
  ...extra,
});

const pod = (name: string, cpu: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name, labels: { app: "web" } },
  spec: {
    containers: [{ name: "c", image: "busybox", resources: { requests: { cpu } } }],
    ...extra,
  },
});

describe("default scheduler wired to the API (in-memory store)", () => {
  let api: MemoryApi;
  let informers: InformerSet;
  let scheduler: Scheduler;

  const podsByNode = async () => {
    const list = (await api.request("GET", "/api/v1/namespaces/default/pods")).body.items;
    const out: Record<string, number> = {};
    for (const p of list) {
      const n = p.spec.nodeName ?? "<none>";
      out[n] = (out[n] ?? 0) + 1;
    }
    return out;
  };
  const until = async (check: () => Promise<boolean>) => {
    const deadline = Date.now() + 5000;
    while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  };

  beforeEach(async () => {
    api = await startMemoryApi();
    await api.request("POST", "/api/v1/namespaces", { metadata: { name: "default" } });
    for (const n of ["n1", "n2", "n3"]) await api.request("POST", "/api/v1/nodes", node(n));
    informers = new InformerSet(api.deps.resources, api.deps.registry, silentLogger());
    scheduler = new Scheduler(api.deps, informers, silentLogger());
    await informers.start();
  });
  afterEach(async () => {
    scheduler.stop();
    informers.stop();
    await api.close();
  });

  it("spreads six replicas of one owner 2/2/2 over three equal nodes, bound with PodScheduled", async () => {
    const owner = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      name: "web-abc",
      uid: "11111111-2222-3333-4444-555555555555",
      controller: true,
    };
    for (let i = 0; i < 6; i++) {
      const res = await api.request("POST", "/api/v1/namespaces/default/pods", {
        ...pod(`web-${i}`, "100m"),
        metadata: { name: `web-${i}`, labels: { app: "web" }, ownerReferences: [owner] },
      });
      expect(res.status, res.text).to.equal(201);
    }
    await until(async () => (await podsByNode())["<none>"] === undefined);
    expect(await podsByNode()).to.deep.equal({ n1: 2, n2: 2, n3: 2 });
    const one = (await api.request("GET", "/api/v1/namespaces/default/pods/web-0")).body;
    expect(
      one.status.conditions.find((c: { type: string }) => c.type === "PodScheduled").status,
    ).to.equal("True");
  });

  it("reports a pod that fits nowhere with PodScheduled=False and a FailedScheduling event", async () => {
    await api.request("POST", "/api/v1/namespaces/default/pods", pod("huge", "64"));
    let condition: { status?: string; reason?: string; message?: string } = {};
    await until(async () => {
      const p = (await api.request("GET", "/api/v1/namespaces/default/pods/huge")).body;
      condition =
        (p.status.conditions ?? []).find((c: { type: string }) => c.type === "PodScheduled") ?? {};
      return condition.status === "False";
    });
    expect(condition).to.include({ status: "False", reason: "Unschedulable" });
    expect(condition.message).to.match(/^0\/3 nodes are available: 3 Insufficient cpu\./);
    // The event recorder writes in the background, just after the condition.
    let events: Array<Record<string, unknown>> = [];
    await until(async () => {
      events = (
        await api.request(
          "GET",
          "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dhuge",
        )
      ).body.items;
      return events.length > 0;
    });
    expect(events[0]).to.include({ reason: "FailedScheduling", type: "Warning" });
  });

  it("places a waiting pod once a node that fits joins", async () => {
    await api.request("POST", "/api/v1/namespaces/default/pods", pod("big", "3"));
    await until(async () => scheduler.pending().parked === 1);
    await api.request("POST", "/api/v1/nodes", node("n4", "8"));
    await until(async () => (await podsByNode()).n4 === 1);
    expect(await podsByNode()).to.deep.equal({ n4: 1 });
  });

  it("holds a pod back while it has scheduling gates, and places it once the last is removed", async () => {
    const gated = pod("gated", "100m", { schedulingGates: [{ name: "a" }, { name: "b" }] });
    await api.request("POST", "/api/v1/namespaces/default/pods", gated);
    await api.request("POST", "/api/v1/namespaces/default/pods", pod("free", "100m"));
    await until(async () => (await podsByNode())["<none>"] === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect((await podsByNode())["<none>"], "the gated pod waits").to.equal(1);
    const path = "/api/v1/namespaces/default/pods/gated";
    const current = async () => (await api.request("GET", path)).body;
    let body = await current();
    body.spec.schedulingGates = [{ name: "b" }];
    expect((await api.request("PUT", path, body)).status).to.equal(200);
    await new Promise((r) => setTimeout(r, 100));
    expect((await current()).spec.nodeName, "one gate left").to.equal(undefined);
    body = await current();
    body.spec.schedulingGates = [];
    await api.request("PUT", path, body);
    await until(async () => (await current()).spec.nodeName !== undefined);
    expect((await current()).spec.nodeName).to.match(/^n[123]$/);
  });

  it("leaves pods of other schedulers alone", async () => {
    await api.request(
      "POST",
      "/api/v1/namespaces/default/pods",
      pod("mine", "100m", { schedulerName: "my-scheduler" }),
    );
    await api.request("POST", "/api/v1/namespaces/default/pods", pod("theirs", "100m"));
    await until(async () => (await podsByNode())["<none>"] === 1);
    await new Promise((r) => setTimeout(r, 100));
    const mine = (await api.request("GET", "/api/v1/namespaces/default/pods/mine")).body;
    expect(mine.spec.nodeName).to.equal(undefined);
  });
});
