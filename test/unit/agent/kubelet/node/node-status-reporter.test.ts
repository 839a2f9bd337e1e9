import { expect } from "chai";
import { KubeClient } from "../../../../../agent/kube/kube-client.js";
import type { NodeCondition } from "../../../../../agent/kube/types.js";
import type { NodeReadiness } from "../../../../../agent/kubelet/node/node-conditions.js";
import type { NodePressure } from "../../../../../agent/kubelet/node/node-pressure.js";
import {
  startNodeStatusReporter,
  type NodeStatusReporter,
} from "../../../../../agent/kubelet/node/node-status-reporter.js";
import { silentLogger } from "../../../../../lib/logger.js";
import {
  sendJson,
  sendStatus,
  startFakeApi,
  type FakeApi,
} from "../../../../support/kubelet-fake-api.js";
import { testNodeFacts } from "../../../../support/kubelet-node-fixtures.js";

describe("agent/kubelet/node status reporter", () => {
  let api: FakeApi;
  let client: KubeClient;
  let reporter: NodeStatusReporter | undefined;
  let readiness: NodeReadiness;
  let pressure: NodePressure;
  let clock: Date;
  let events: string[];
  let readinessFails: boolean;

  const start = (initialConditions?: NodeCondition[]) =>
    (reporter = startNodeStatusReporter({
      client,
      facts: testNodeFacts,
      root: "/",
      readiness: () => {
        if (readinessFails) throw new Error("runtime socket gone");
        return readiness;
      },
      observePressure: async () => pressure,
      logger: silentLogger(),
      initialConditions,
      checkIntervalMs: 3_600_000, // the test drives sync()
      reportFrequencyMs: 300_000,
      onConditionEvent: (reason) => events.push(reason),
      now: () => clock,
    }));
  const patches = () => api.requests.filter((r) => r.method === "PATCH");
  const lastConditions = (): NodeCondition[] => patches().at(-1)!.body.status.conditions;
  const ready = () => lastConditions().find((c) => c.type === "Ready")!;

  beforeEach(async () => {
    readiness = { runtime: { ready: true }, network: { ready: true } };
    pressure = { memory: false, disk: false, pid: false };
    clock = new Date("2025-03-01T10:00:00Z");
    events = [];
    readinessFails = false;
    api = await startFakeApi((req, res) => {
      if (req.path === "/api/v1/nodes/node-1/status") sendJson(res, 200, {});
    });
    client = new KubeClient({ server: api.url });
  });

  afterEach(async () => {
    await reporter?.stop();
    reporter = undefined;
    client.close();
    await api.close();
  });

  it("posts the conditions and facts at once, by strategic merge on nodes/<name>/status", async () => {
    await start().sync();
    const [patch] = patches();
    expect(patch.path).to.equal("/api/v1/nodes/node-1/status");
    expect(patch.headers["content-type"]).to.equal("application/strategic-merge-patch+json");
    expect(patch.body.status.capacity).to.deep.equal(testNodeFacts.capacity);
    expect(lastConditions().map((c) => `${c.type}=${c.status}`)).to.deep.equal([
      "MemoryPressure=False",
      "DiskPressure=False",
      "PIDPressure=False",
      "Ready=True",
    ]);
    expect(events).to.deep.equal([
      "NodeHasSufficientMemory",
      "NodeHasNoDiskPressure",
      "NodeHasSufficientPID",
      "NodeReady",
    ]);
    expect(patches()).to.have.length(1);
  });

  it("writes nothing while nothing changed, then posts a change at once", async () => {
    await start().sync();
    clock = new Date("2025-03-01T10:00:10Z");
    await reporter!.sync();
    await reporter!.sync();
    expect(patches()).to.have.length(1);
    readiness = { runtime: { ready: true }, network: { ready: false, message: "no CNI config" } };
    clock = new Date("2025-03-01T10:00:20Z");
    await reporter!.sync();
    expect(patches()).to.have.length(2);
    expect(ready()).to.deep.include({
      status: "False",
      reason: "KubeletNotReady",
      lastTransitionTime: "2025-03-01T10:00:20Z",
    });
    expect(events.at(-1)).to.equal("NodeNotReady");
    pressure = { memory: false, disk: true, pid: false };
    await reporter!.sync();
    expect(patches()).to.have.length(3);
    expect(lastConditions().find((c) => c.type === "DiskPressure")?.status).to.equal("True");
    expect(reporter!.conditions()).to.deep.equal(lastConditions());
  });

  it("reports an unchanged status again after the report period, keeping transition times", async () => {
    await start().sync();
    clock = new Date("2025-03-01T10:04:59Z");
    await reporter!.sync();
    expect(patches()).to.have.length(1);
    clock = new Date("2025-03-01T10:05:00Z");
    await reporter!.sync();
    expect(patches()).to.have.length(2);
    expect(ready()).to.deep.include({
      lastHeartbeatTime: "2025-03-01T10:05:00Z",
      lastTransitionTime: "2025-03-01T10:00:00Z",
    });
  });

  it("carries transition times over from the Node's conditions after a restart", async () => {
    const before: NodeCondition[] = [
      {
        type: "Ready",
        status: "True",
        reason: "KubeletReady",
        lastTransitionTime: "2025-01-01T00:00:00Z",
      },
    ];
    await start(before).sync();
    expect(ready().lastTransitionTime).to.equal("2025-01-01T00:00:00Z");
    expect(events).to.not.include("NodeReady");
  });

  it("retries a failed post on the next sync", async () => {
    api.setHandler((_req, res) => sendStatus(res, 503, "ServiceUnavailable", "down"));
    await start().sync();
    expect(events).to.deep.equal([]);
    expect(reporter!.conditions()).to.equal(undefined);
    const failed = patches().length;
    api.setHandler((_req, res) => sendJson(res, 200, {}));
    await reporter!.sync();
    expect(patches()).to.have.length(failed + 1);
    expect(events).to.include("NodeReady");
  });

  it("treats a failing readiness check as a runtime that is down", async () => {
    readinessFails = true;
    await start().sync();
    expect(ready()).to.deep.include({
      status: "False",
      message: "container runtime is down: readiness check failed: runtime socket gone",
    });
  });
});
