import { expect } from "chai";
import { silentLogger } from "../../../../lib/logger.js";
import { EventRecorder } from "../../../../controller/controllers/event-recorder.js";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import { startMemoryApi, type MemoryApi } from "../../../support/memory-api.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- reading loosely typed objects */

const replicaSet = (name: string): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "ReplicaSet",
  metadata: { name, namespace: "default", uid: `${name}-uid`, resourceVersion: "7" },
});

describe("controllers EventRecorder", () => {
  let api: MemoryApi;
  const events = async (namespace = "default") =>
    ((await api.request("GET", `/api/v1/namespaces/${namespace}/events`)).body.items as any[]).sort(
      (a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion),
    );

  beforeEach(async () => {
    api = await startMemoryApi();
    await api.request("POST", "/api/v1/namespaces", { metadata: { name: "default" } });
  });
  afterEach(async () => {
    await api.close();
  });

  it("writes a core/v1 Event about the object, as client-go's recorder would", async () => {
    const recorder = new EventRecorder(api.deps, "replicaset-controller", silentLogger());
    recorder.record(replicaSet("web-abc"), "Normal", "SuccessfulCreate", "Created pod: web-abc-x1");
    await recorder.flush();
    const [event] = await events();
    expect(event.metadata.name).to.match(/^web-abc\.[0-9a-f]{16,}$/);
    expect(event.involvedObject).to.deep.equal({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      name: "web-abc",
      namespace: "default",
      uid: "web-abc-uid",
      resourceVersion: "7",
    });
    expect(event).to.include({
      type: "Normal",
      reason: "SuccessfulCreate",
      message: "Created pod: web-abc-x1",
      count: 1,
      reportingComponent: "replicaset-controller",
    });
    expect(event.source).to.deep.equal({ component: "replicaset-controller" });
    expect(event.firstTimestamp).to.equal(event.lastTimestamp);
  });

  it("puts events about cluster-scoped objects in the default namespace", async () => {
    const recorder = new EventRecorder(api.deps, "node-controller", silentLogger());
    const node = { apiVersion: "v1", kind: "Node", metadata: { name: "n1", uid: "n1-uid" } };
    recorder.record(node, "Normal", "NodeNotReady", "Node n1 status is now: NodeNotReady");
    await recorder.flush();
    const [event] = await events();
    expect(event.involvedObject).to.include({ kind: "Node", name: "n1" });
    expect(event.involvedObject.namespace).to.equal(undefined);
  });

  it("counts a repeated event on the Event already written", async () => {
    let now = Date.parse("2024-05-01T10:00:00Z");
    api.deps.now = () => new Date(now);
    const recorder = new EventRecorder(api.deps, "default-scheduler", silentLogger());
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" } };
    recorder.record(pod, "Warning", "FailedScheduling", "0/3 nodes are available.");
    await recorder.flush();
    now += 30_000;
    recorder.record(pod, "Warning", "FailedScheduling", "0/3 nodes are available.");
    recorder.record(pod, "Warning", "FailedScheduling", "0/4 nodes are available.");
    await recorder.flush();
    const list = await events();
    expect(list.map((e) => [e.message, e.count])).to.deep.equal([
      ["0/3 nodes are available.", 2],
      ["0/4 nodes are available.", 1],
    ]);
    expect(list[0].firstTimestamp).to.equal("2024-05-01T10:00:00Z");
    expect(list[0].lastTimestamp).to.equal("2024-05-01T10:00:30Z");
  });

  it("writes each object's events in the order they were recorded", async () => {
    const recorder = new EventRecorder(api.deps, "deployment-controller", silentLogger());
    const messages = Array.from(
      { length: 12 },
      (_, i) => `Scaled up replica set x from ${i} to ${i + 1}`,
    );
    for (const message of messages) {
      recorder.record(replicaSet("x"), "Normal", "ScalingReplicaSet", message);
      recorder.record(replicaSet("y"), "Normal", "ScalingReplicaSet", message);
    }
    await recorder.flush();
    const list = await events();
    expect(list.filter((e) => e.involvedObject.name === "x").map((e) => e.message)).to.deep.equal(
      messages,
    );
    expect(list.filter((e) => e.involvedObject.name === "y")).to.have.length(12);
  });

  it("lets one object write a burst, then one event per refill period", async () => {
    const recorder = new EventRecorder(api.deps, "replicaset-controller", silentLogger(), {
      burst: 3,
      refillMs: 200,
    });
    for (let i = 0; i < 6; i++) {
      recorder.record(replicaSet("a"), "Normal", "SuccessfulCreate", `Created pod: a-${i}`);
    }
    recorder.record(replicaSet("b"), "Normal", "SuccessfulCreate", "Created pod: b-0");
    await recorder.flush();
    expect((await events()).map((e) => e.message).sort()).to.deep.equal([
      "Created pod: a-0",
      "Created pod: a-1",
      "Created pod: a-2",
      "Created pod: b-0",
    ]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    recorder.record(replicaSet("a"), "Normal", "SuccessfulCreate", "Created pod: a-6");
    recorder.record(replicaSet("a"), "Normal", "SuccessfulCreate", "Created pod: a-7");
    await recorder.flush();
    expect((await events()).map((e) => e.message))
      .to.include("Created pod: a-6")
      .and.not.include("Created pod: a-7");
  });

  it("never throws for an event it cannot write (a namespace that does not exist)", async () => {
    const recorder = new EventRecorder(api.deps, "replicaset-controller", silentLogger());
    const elsewhere = { ...replicaSet("z"), metadata: { name: "z", namespace: "nowhere" } };
    recorder.record(elsewhere, "Normal", "SuccessfulCreate", "Created pod: z-1");
    await recorder.flush();
    expect(await events("nowhere")).to.deep.equal([]);
  });
});
