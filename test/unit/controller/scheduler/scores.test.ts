import { expect } from "chai";
import {
  numFeasibleNodesToFind,
  schedulePod,
} from "../../../../controller/scheduler/algorithm/index.js";
import { expr, makeNode, makePod, preferredAffinity } from "./fixtures.js";
import { placeAll, placedOn, snapshotOf } from "./helpers.js";

describe("controller/scheduler scoring", () => {
  it("prefers the least allocated node", () => {
    const s = snapshotOf(
      [makeNode("busy"), makeNode("idle")],
      [makePod("held", { nodeName: "busy", requests: { cpu: "2", memory: "4Gi" } })],
    );
    expect(placedOn(makePod("p", { requests: { cpu: "100m", memory: "100Mi" } }), s)).to.equal(
      "idle",
    );
  });

  it("counts pods without requests as 100m and 200Mi when comparing allocation", () => {
    const s = snapshotOf(
      [makeNode("a", { cpu: "1", memory: "1Gi" }), makeNode("b", { cpu: "1", memory: "1Gi" })],
      [1, 2, 3].map((i) => makePod(`be-${i}`, { nodeName: "a" })),
    );
    expect(placedOn(makePod("p"), s)).to.equal("b");
  });

  it("follows preferred node affinity weights over allocation", () => {
    const s = snapshotOf(
      [
        makeNode("fast", { labels: { disk: "ssd" } }),
        makeNode("slow", { labels: { disk: "hdd" } }),
      ],
      [makePod("held", { nodeName: "fast", requests: { cpu: "1", memory: "1Gi" } })],
    );
    const affinity = preferredAffinity(
      { weight: 80, preference: { matchExpressions: [expr("disk", "In", ["ssd"])] } },
      { weight: 10, preference: { matchExpressions: [expr("disk", "In", ["hdd"])] } },
    );
    expect(placedOn(makePod("p", { affinity }), s)).to.equal("fast");
  });

  it("avoids PreferNoSchedule taints the pod does not tolerate", () => {
    const s = snapshotOf([
      makeNode("soft", { taints: [{ key: "spot", value: "true", effect: "PreferNoSchedule" }] }),
      makeNode("busier"),
    ]);
    s.addPod(makePod("held", { nodeName: "busier", requests: { cpu: "1" } }));
    expect(placedOn(makePod("p"), s)).to.equal("busier");
    const tolerant = makePod("t", { tolerations: [{ key: "spot", operator: "Exists" }] });
    expect(placedOn(tolerant, s)).to.equal("soft");
  });

  it("spreads 6 replicas of one ReplicaSet over 3 equal nodes 2/2/2", () => {
    const s = snapshotOf([makeNode("n1"), makeNode("n2"), makeNode("n3")]);
    const replicas = Array.from({ length: 6 }, (_, i) =>
      makePod(`web-${i}`, { ownerUid: "rs-1", labels: { app: "web" }, requests: { cpu: "100m" } }),
    );
    expect(placeAll(replicas, s)).to.deep.equal({ n1: 2, n2: 2, n3: 2 });
  });

  it("spreads a workload even against a small allocation advantage", () => {
    const s = snapshotOf([
      makeNode("big", { cpu: "5", memory: "10Gi" }),
      makeNode("n2"),
      makeNode("n3"),
    ]);
    const replicas = Array.from({ length: 6 }, (_, i) =>
      makePod(`api-${i}`, { ownerUid: "rs-2", requests: { cpu: "100m", memory: "128Mi" } }),
    );
    expect(placeAll(replicas, s)).to.deep.equal({ big: 2, n2: 2, n3: 2 });
  });

  it("groups pods without an owner by their labels for spreading", () => {
    const s = snapshotOf(
      [makeNode("a"), makeNode("b")],
      [makePod("x", { nodeName: "a", labels: { app: "solo" } })],
    );
    s.addPod(makePod("filler", { nodeName: "b", requests: { cpu: "100m", memory: "50Mi" } }));
    expect(placedOn(makePod("y", { labels: { app: "solo" } }), s)).to.equal("b");
  });

  it("takes turns between equally good nodes", () => {
    const s = snapshotOf([makeNode("a"), makeNode("b"), makeNode("c")]);
    const picks = [1, 2, 3].map((i) => placedOn(makePod(`p${i}`), s));
    expect(new Set(picks).size).to.equal(3);
  });

  describe("search window", () => {
    it("finds an adaptive number of feasible nodes, at least 100", () => {
      expect(numFeasibleNodesToFind(50)).to.equal(50);
      expect(numFeasibleNodesToFind(100)).to.equal(100);
      expect(numFeasibleNodesToFind(200)).to.equal(100);
      expect(numFeasibleNodesToFind(1000)).to.equal(420);
      expect(numFeasibleNodesToFind(5000)).to.equal(500);
      expect(numFeasibleNodesToFind(1000, 100)).to.equal(1000);
      expect(numFeasibleNodesToFind(1000, 1)).to.equal(100);
    });

    it("starts each search where the last one stopped", () => {
      const s = snapshotOf(Array.from({ length: 1000 }, (_, i) => makeNode(`n${i}`)));
      const first = schedulePod(makePod("a"), s);
      const second = schedulePod(makePod("b"), s);
      expect(first).to.include({ evaluatedNodes: 420, feasibleNodes: 420, nextStartIndex: 420 });
      expect(second).to.include({ nextStartIndex: 840 });
      expect(schedulePod(makePod("c"), s, { startIndex: 990 })).to.include({ nextStartIndex: 410 });
      expect(s.cursor.nextStartIndex).to.equal(840);
    });
  });
});
