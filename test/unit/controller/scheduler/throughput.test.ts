import { expect } from "chai";
import { performance } from "node:perf_hooks";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import { ClusterSnapshot, schedulePod } from "../../../../controller/scheduler/algorithm/index.js";
import { makeNode, makePod } from "./fixtures.js";

const nodeCount = 1000;
const podCount = 10_000;
const replicaSets = 100;
// Deliberately far below what one thread reaches, so a slow CI machine stays green.
const floorPodsPerSecond = 300;

describe("controller/scheduler throughput", () => {
  it(`places ${podCount} pods on ${nodeCount} nodes at over ${floorPodsPerSecond} pods/s`, function () {
    this.timeout(120_000);
    const snapshot = new ClusterSnapshot();
    for (let i = 0; i < nodeCount; i++) {
      snapshot.upsertNode(makeNode(`node-${i}`, { cpu: "32", memory: "128Gi", pods: "110" }));
    }
    const pods: KubeObject[] = Array.from({ length: podCount }, (_, i) =>
      makePod(`web-${i}`, {
        ownerUid: `rs-${i % replicaSets}`,
        labels: { app: `app-${i % replicaSets}` },
        requests: { cpu: `${100 + (i % 5) * 100}m`, memory: `${128 * (1 + (i % 4))}Mi` },
      }),
    );
    const perNode = new Map<string, number>();
    const started = performance.now();
    for (const pod of pods) {
      const result = schedulePod(pod, snapshot);
      if (!("node" in result)) return expect.fail(result.message);
      snapshot.assume(pod, result.node);
      perNode.set(result.node, (perNode.get(result.node) ?? 0) + 1);
    }
    const seconds = (performance.now() - started) / 1000;
    const rate = Math.round(podCount / seconds);
    console.log(
      `      ${podCount} pods on ${nodeCount} nodes in ${seconds.toFixed(2)} s: ${rate} pods/s`,
    );
    expect(rate).to.be.above(floorPodsPerSecond);
    // Spreading and least-allocated keep the load even: 10 pods a node on average.
    expect(perNode.size).to.equal(nodeCount);
    expect(Math.max(...perNode.values())).to.be.at.most(20);
  });
});
