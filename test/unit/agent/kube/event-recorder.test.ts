import { expect } from "chai";
import { EventRecorder } from "../../../../agent/kube/event-recorder.js";
import { KubeClient } from "../../../../agent/kube/kube-client.js";
import type { KubeEvent, ObjectReference } from "../../../../agent/kube/types.js";
import { silentLogger } from "../../../../lib/logger.js";
import {
  sendJson,
  sendStatus,
  startFakeApi,
  type FakeApi,
  type FakeApiHandler,
} from "../../../support/kubelet-fake-api.js";

const pod: ObjectReference = {
  apiVersion: "v1",
  kind: "Pod",
  namespace: "ns",
  name: "web",
  uid: "uid-1",
};

describe("agent/kube EventRecorder", () => {
  let api: FakeApi;
  let client: KubeClient;
  let recorder: EventRecorder | undefined;
  let stored: Map<string, KubeEvent>;
  let clock: Date;

  // An events endpoint: POST stores, PATCH merges into the stored one (404 when unknown).
  const eventsApi: FakeApiHandler = (req, res) => {
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/events(?:\/([^/]+))?$/.exec(req.path);
    if (!match) return;
    if (req.method === "POST") {
      stored.set(req.body.metadata.name, req.body);
      return sendJson(res, 201, req.body);
    }
    const event = stored.get(match[2]);
    if (!event) return sendStatus(res, 404, "NotFound", `events "${match[2]}" not found`);
    Object.assign(event, req.body);
    sendJson(res, 200, event);
  };

  const start = (options: { burst?: number; refillMs?: number } = {}) =>
    (recorder = new EventRecorder({
      client,
      host: "node-1",
      logger: silentLogger(),
      now: () => clock,
      ...options,
    }));
  const writes = () => api.requests.filter((r) => r.method !== "GET");

  beforeEach(async () => {
    stored = new Map();
    clock = new Date("2025-03-01T10:00:00.250Z");
    api = await startFakeApi(eventsApi);
    client = new KubeClient({ server: api.url });
  });

  afterEach(async () => {
    await recorder?.stop();
    recorder = undefined;
    client.close();
    await api.close();
  });

  it("writes a core/v1 Event from the kubelet on this node", async () => {
    start().record(pod, "Normal", "Pulled", "Successfully pulled image");
    await recorder!.flush();
    const [post] = writes();
    expect(post.method).to.equal("POST");
    expect(post.path).to.equal("/api/v1/namespaces/ns/events");
    const event = post.body as KubeEvent;
    expect(event.metadata?.name).to.match(/^web\.[0-9a-f]+$/);
    expect(event).to.deep.include({
      involvedObject: pod,
      type: "Normal",
      reason: "Pulled",
      message: "Successfully pulled image",
      source: { component: "kubelet", host: "node-1" },
      reportingComponent: "kubelet",
      reportingInstance: "node-1",
      firstTimestamp: "2025-03-01T10:00:00Z",
      lastTimestamp: "2025-03-01T10:00:00Z",
      count: 1,
    });
  });

  it("counts the same event again within ten minutes with a PATCH, not a new Event", async () => {
    start().record(pod, "Warning", "BackOff", "Back-off restarting failed container");
    clock = new Date("2025-03-01T10:04:00Z");
    recorder!.record(pod, "Warning", "BackOff", "Back-off restarting failed container");
    recorder!.record(pod, "Warning", "BackOff", "another message");
    await recorder!.flush();
    const [first, second, third] = writes();
    expect(second.method).to.equal("PATCH");
    expect(second.path).to.equal(`/api/v1/namespaces/ns/events/${first.body.metadata.name}`);
    expect(second.headers["content-type"]).to.equal("application/strategic-merge-patch+json");
    expect(second.body).to.deep.equal({ count: 2, lastTimestamp: "2025-03-01T10:04:00Z" });
    expect(third.method).to.equal("POST");
    expect(third.body.metadata.name).not.to.equal(first.body.metadata.name);
    expect(stored.get(first.body.metadata.name)?.count).to.equal(2);
  });

  it("starts a new Event after ten quiet minutes, or when the old one expired", async () => {
    start().record(pod, "Normal", "Killing", "Stopping container");
    clock = new Date("2025-03-01T10:11:00Z");
    recorder!.record(pod, "Normal", "Killing", "Stopping container");
    await recorder!.flush();
    expect(writes().map((r) => r.method)).to.deep.equal(["POST", "POST"]);
    expect(writes()[1].body.count).to.equal(1);
    stored.clear(); // the API server dropped it (events live an hour)
    clock = new Date("2025-03-01T10:12:00Z");
    recorder!.record(pod, "Normal", "Killing", "Stopping container");
    await recorder!.flush();
    expect(
      writes()
        .slice(2)
        .map((r) => r.method),
    ).to.deep.equal(["PATCH", "POST"]);
    expect(writes()[3].body).to.deep.include({ count: 2, firstTimestamp: "2025-03-01T10:11:00Z" });
  });

  it("puts events about cluster-scoped objects (the Node) into default", async () => {
    start().record({ kind: "Node", name: "node-1", uid: "node-1" }, "Normal", "NodeReady", "ready");
    await recorder!.flush();
    expect(writes()[0].path).to.equal("/api/v1/namespaces/default/events");
  });

  it("lets an object write a burst of events, then one per refill period", async () => {
    start({ burst: 3, refillMs: 60_000 });
    for (let i = 0; i < 5; i++) recorder!.record(pod, "Normal", `R${i}`, "m");
    recorder!.record({ ...pod, name: "other", uid: "uid-2" }, "Normal", "R", "m");
    await recorder!.flush();
    expect(writes().map((r) => `${r.body.involvedObject.name}:${r.body.reason}`)).to.deep.equal([
      "web:R0",
      "web:R1",
      "web:R2",
      "other:R",
    ]);
    clock = new Date(clock.getTime() + 60_000);
    recorder!.record(pod, "Normal", "R5", "m");
    recorder!.record(pod, "Normal", "R6", "m");
    await recorder!.flush();
    expect(writes().map((r) => r.body.reason)).to.deep.equal(["R0", "R1", "R2", "R", "R5"]);
  });

  it("never throws at the caller: a failed write is logged and the next one goes out", async () => {
    let fail = true;
    api.setHandler((req, res) => {
      if (fail) return sendStatus(res, 500, "InternalError", "etcd is away");
      return eventsApi(req, res);
    });
    start().record(pod, "Normal", "A", "m");
    await recorder!.flush();
    fail = false;
    recorder!.record(pod, "Normal", "B", "m");
    await recorder!.flush();
    expect([...stored.values()].map((e) => e.reason)).to.deep.equal(["B"]);
  });

  it("stop() flushes what was recorded, then abandons a write that hangs", async () => {
    start().record(pod, "Normal", "A", "m");
    await recorder!.stop();
    expect(stored.size).to.equal(1);
    recorder!.record(pod, "Normal", "after-stop", "m");
    await recorder!.flush();
    expect(stored.size).to.equal(1);
    api.setHandler(() => new Promise(() => undefined));
    start().record(pod, "Normal", "B", "m");
    const started = Date.now();
    await recorder!.stop(100);
    expect(Date.now() - started).to.be.lessThan(2_000);
  });
});
