import { expect } from "chai";
import {
  collectNodeMetrics,
  collectPodMetrics,
} from "../../../../controller/api/metrics-api/collect-metrics.js";
import { usageBetween } from "../../../../controller/api/metrics-api/metric-point.js";
import { nodeSample } from "../../../../controller/api/metrics-api/node-sample.js";
import { NodeSampleCache } from "../../../../controller/api/metrics-api/sample-cache.js";
import { readSummary } from "../../../../controller/api/metrics-api/summary-reading.js";
import { silentLogger } from "../../../../lib/logger.js";
import { ManualClock, readyNode, runningPod, summaryBody } from "./metrics-fixtures.js";

const MiB = 1024 * 1024;

describe("metrics API: summary → NodeMetrics and PodMetrics", () => {
  it("reads the node and each pod's containers from a summary, ignoring what it does not need", () => {
    const reading = readSummary(
      summaryBody({
        nodeName: "n1",
        nodeCpuNs: 5e9,
        nodeWorkingSet: 100 * MiB,
        pods: [
          {
            namespace: "ns",
            name: "web",
            uid: "u1",
            containers: [{ name: "app", cpuNs: 1e9, workingSet: 10 * MiB }],
          },
        ],
      }),
    );
    expect(reading).to.deep.equal({
      nodeName: "n1",
      startTime: "2025-01-01T00:00:00Z",
      cpu: { usageCoreNanoSeconds: 5e9, usageNanoCores: undefined },
      workingSetBytes: 100 * MiB,
      pods: [
        {
          namespace: "ns",
          name: "web",
          uid: "u1",
          containers: [
            {
              name: "app",
              startTime: "2025-01-01T00:00:00Z",
              cpu: { usageCoreNanoSeconds: 1e9, usageNanoCores: undefined },
              workingSetBytes: 10 * MiB,
            },
          ],
        },
      ],
    });
  });

  it("rejects a body that is not a summary, and reads ill-typed counters as absent", () => {
    expect(() => readSummary("nope")).to.throw(/no node section/);
    expect(() => readSummary({ pods: [] })).to.throw(/no node section/);
    const odd = readSummary({ node: { cpu: { usageCoreNanoSeconds: "12" }, memory: 7 }, pods: 3 });
    expect(odd.cpu.usageCoreNanoSeconds).to.equal(undefined);
    expect(odd.workingSetBytes).to.equal(undefined);
    expect(odd.pods).to.deep.equal([]);
  });

  it("computes CPU as the cumulative counter's rate over the window between two scrapes", () => {
    const body = (cpu: number, mem: number) =>
      readSummary(summaryBody({ nodeName: "n", nodeCpuNs: cpu, nodeWorkingSet: mem }));
    const t0 = Date.parse("2025-03-01T12:00:00.250Z");
    const prev = nodeSample(body(10e9, 1 * MiB), t0, 500);
    const last = nodeSample(body(10e9 + 1.2e9, 3 * MiB), t0 + 4_000, 4_500);
    expect(usageBetween(prev.node, last.node)).to.deep.equal({
      cpuNanoCores: 300_000_000,
      memoryBytes: 3 * MiB,
      timestampMs: t0 + 4_000,
      windowMs: 4_000,
    });
  });

  it("gives no rate across a counter reset, a restart, an empty window or without a working set", () => {
    const point = (
      monoMs: number,
      cpu: number | undefined,
      startTime = "2025-01-01T00:00:00Z",
    ) => ({
      atMs: Date.parse("2025-03-01T12:00:00Z") + monoMs,
      monoMs,
      startTime,
      cpu: { usageCoreNanoSeconds: cpu },
      workingSetBytes: 5,
    });
    expect(usageBetween(point(0, 9e9), point(1000, 1e9))).to.equal(undefined);
    expect(usageBetween(point(0, 1e9), point(1000, 2e9, "2025-03-01T12:00:00.5Z"))).to.equal(
      undefined,
    );
    expect(usageBetween(point(1000, 1e9), point(1000, 2e9))).to.equal(undefined);
    expect(
      usageBetween(point(0, 1e9), { ...point(1000, 2e9), workingSetBytes: undefined }),
    ).to.equal(undefined);
    // An agent with only its own rate: that rate is taken as it is.
    const rateOnly = { ...point(1000, undefined), cpu: { usageNanoCores: 42 } };
    expect(usageBetween(point(0, undefined), rateOnly)?.cpuNanoCores).to.equal(42);
  });

  it("builds NodeMetrics and PodMetrics in metrics-server's shapes", async () => {
    const clock = new ManualClock();
    let cpu = 0;
    const source = async () => {
      cpu += 1e9;
      return summaryBody({
        nodeName: "n1",
        nodeCpuNs: 100e9 + cpu * 2,
        nodeWorkingSet: 512 * MiB,
        pods: [
          {
            namespace: "ns",
            name: "web",
            uid: "uid-ns-web",
            containers: [
              { name: "side", cpuNs: cpu / 4, workingSet: 3 * MiB },
              { name: "app", cpuNs: cpu / 2, workingSet: 17_452 * 1024 },
            ],
          },
        ],
      });
    };
    const cache = new NodeSampleCache(source, silentLogger(), { coldWindowMs: 2_000 }, clock);
    const now = new Date("2025-03-01T12:30:00Z");
    const node = readyNode("n1", { zone: "a" });
    const [nodeMetrics] = await collectNodeMetrics([node], cache, now);
    expect(nodeMetrics).to.deep.equal({
      kind: "NodeMetrics",
      apiVersion: "metrics.k8s.io/v1beta1",
      metadata: { name: "n1", creationTimestamp: "2025-03-01T12:30:00Z", labels: { zone: "a" } },
      timestamp: "2025-03-01T12:00:02Z",
      window: "2s",
      usage: { cpu: "1", memory: "512Mi" },
    });
    const pod = runningPod("ns", "web", "n1", ["app", "side"], { app: "web" });
    const [podMetrics] = await collectPodMetrics([pod], [node], cache, now);
    expect(podMetrics).to.deep.equal({
      kind: "PodMetrics",
      apiVersion: "metrics.k8s.io/v1beta1",
      metadata: {
        name: "web",
        namespace: "ns",
        creationTimestamp: "2025-03-01T12:30:00Z",
        labels: { app: "web" },
      },
      timestamp: "2025-03-01T12:00:02Z",
      window: "2s",
      containers: [
        { name: "app", usage: { cpu: "250m", memory: "17452Ki" } },
        { name: "side", usage: { cpu: "125m", memory: "3Mi" } },
      ],
    });
  });

  it("leaves out pods not Running, on nodes not Ready, of another uid, or with a container new since the earlier scrape", async () => {
    const clock = new ManualClock();
    let scrapes = 0;
    const source = async () => {
      scrapes++;
      const containers = [{ name: "a", cpuNs: scrapes * 1e8, workingSet: MiB }];
      return summaryBody({
        nodeName: "n1",
        nodeCpuNs: scrapes * 1e9,
        nodeWorkingSet: MiB,
        pods: [
          { namespace: "ns", name: "ok", uid: "uid-ns-ok", containers },
          { namespace: "ns", name: "pending", uid: "uid-ns-pending", containers },
          { namespace: "ns", name: "reborn", uid: "some-older-uid", containers },
          {
            namespace: "ns",
            name: "growing",
            uid: "uid-ns-growing",
            containers:
              scrapes > 1 ? [...containers, { name: "b", cpuNs: 1, workingSet: 1 }] : containers,
          },
        ],
      });
    };
    const cache = new NodeSampleCache(source, silentLogger(), {}, clock);
    const pending = { ...runningPod("ns", "pending", "n1", ["a"]), status: { phase: "Pending" } };
    const pods = [
      runningPod("ns", "ok", "n1", ["a"]),
      pending,
      runningPod("ns", "reborn", "n1", ["a"]),
      runningPod("ns", "growing", "n1", ["a", "b"]),
      runningPod("ns", "elsewhere", "n2", ["a"]),
    ];
    const nodes = [readyNode("n1"), readyNode("n2", {}, false)];
    const items = await collectPodMetrics(pods, nodes, cache, new Date());
    expect(items.map((p) => p.metadata?.name)).to.deep.equal(["ok"]);
    expect(scrapes).to.equal(2);
    expect(await collectNodeMetrics(nodes, cache, new Date())).to.have.length(1);
  });
});
