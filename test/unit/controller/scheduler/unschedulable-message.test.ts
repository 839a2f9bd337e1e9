import { expect } from "chai";
import { ClusterSnapshot, schedulePod } from "../../../../controller/scheduler/algorithm/index.js";
import { expr, makeNode, makePod, requiredAffinity } from "./fixtures.js";
import { snapshotOf, unschedulable } from "./helpers.js";

const gpuTaint = [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }];

describe("controller/scheduler unschedulable messages (kube-scheduler 1.32 wording)", () => {
  it("summarises every node's reason, sorted, then what preemption could do", () => {
    const s = snapshotOf([
      makeNode("small", { cpu: "1" }),
      makeNode("gpu-1", { taints: gpuTaint }),
      makeNode("gpu-2", { taints: gpuTaint }),
    ]);
    const r = unschedulable(makePod("p", { requests: { cpu: "2" } }), s);
    expect(r.message).to.equal(
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}. " +
        "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, " +
        "2 Preemption is not helpful for scheduling.",
    );
    expect(r.reasons).to.deep.equal({
      "Insufficient cpu": 1,
      "node(s) had untolerated taint {dedicated: gpu}": 2,
    });
  });

  it("counts each reason of a node short of several resources", () => {
    const s = snapshotOf([makeNode("n", { cpu: "1", memory: "1Gi" })]);
    const r = unschedulable(makePod("p", { requests: { cpu: "2", memory: "2Gi" } }), s);
    expect(r.message).to.equal(
      "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. " +
        "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    );
  });

  it("sorts the entries as strings, count first, as Go's sort.Strings does", () => {
    const nodes = [
      ...Array.from({ length: 10 }, (_, i) => makeNode(`cordoned-${i}`, { unschedulable: true })),
      makeNode("x-1", { labels: { disk: "hdd" } }),
      makeNode("x-2", { labels: { disk: "hdd" } }),
      makeNode("full", { pods: "0", labels: { disk: "ssd" } }),
    ];
    const r = unschedulable(makePod("p", { nodeSelector: { disk: "ssd" } }), snapshotOf(nodes));
    expect(r.message).to.equal(
      "0/13 nodes are available: 1 Too many pods, 10 node(s) were unschedulable, " +
        "2 node(s) didn't match Pod's node affinity/selector. preemption: 0/13 nodes are available: " +
        "1 No preemption victims found for incoming pod, 12 Preemption is not helpful for scheduling.",
    );
  });

  it("uses the real texts for pods, ports and cordoned nodes", () => {
    const s = snapshotOf(
      [
        makeNode("full", { pods: "1" }),
        makeNode("ports"),
        makeNode("cordoned", { unschedulable: true }),
      ],
      [
        makePod("a", { nodeName: "full" }),
        makePod("b", { nodeName: "ports", hostPorts: [{ hostPort: 8080 }] }),
      ],
    );
    const r = unschedulable(makePod("p", { hostPorts: [{ hostPort: 8080 }] }), s);
    expect(r.message).to.equal(
      "0/3 nodes are available: 1 Too many pods, 1 node(s) didn't have free ports for the requested " +
        "pod ports, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: " +
        "1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    );
  });

  it("says so when there are no nodes at all, as kube-scheduler does", () => {
    const r = unschedulable(makePod("p"), new ClusterSnapshot());
    expect(r.message).to.equal("no nodes available to schedule pods");
    expect(r.reasons).to.deep.equal({});
  });

  it("reports what is still short once lower-priority pods would be gone", () => {
    const s = snapshotOf(
      [makeNode("n", { cpu: "2" })],
      [makePod("low", { nodeName: "n", priority: 0, requests: { cpu: "500m" } })],
    );
    const r = unschedulable(makePod("p", { priority: 100, requests: { cpu: "3" } }), s);
    expect(r.message).to.equal(
      "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.",
    );
  });

  it("adds no preemption text when evicting lower-priority pods would make room", () => {
    const s = snapshotOf(
      [makeNode("n", { cpu: "2" })],
      [makePod("low", { nodeName: "n", priority: 0, requests: { cpu: "1500m" } })],
    );
    const r = unschedulable(makePod("p", { priority: 100, requests: { cpu: "1" } }), s);
    expect(r.message).to.equal("0/1 nodes are available: 1 Insufficient cpu.");
    const same = unschedulable(makePod("q", { priority: 0, requests: { cpu: "1" } }), s);
    expect(same.message).to.match(/1 No preemption victims found for incoming pod\.$/);
  });

  it("says a pod with preemptionPolicy Never may not preempt", () => {
    const s = snapshotOf([makeNode("n", { cpu: "1" })]);
    const pod = makePod("p", { requests: { cpu: "2" }, preemptionPolicy: "Never" });
    expect(unschedulable(pod, s).message).to.equal(
      "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.",
    );
  });

  it("counts nodes outside a metadata.name affinity as failing the NodeAffinity PreFilter", () => {
    const s = snapshotOf([makeNode("a", { cpu: "1" }), makeNode("b"), makeNode("c")]);
    const affinity = requiredAffinity(
      { matchFields: [expr("metadata.name", "In", ["a"])] },
      { matchFields: [expr("metadata.name", "In", ["gone"])] },
    );
    const r = unschedulable(makePod("p", { affinity, requests: { cpu: "2" } }), s);
    expect(r.message).to.equal(
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. " +
        "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, " +
        "2 Preemption is not helpful for scheduling.",
    );
  });

  it("reports conflicting metadata.name terms once for the whole pod", () => {
    const s = snapshotOf([makeNode("a"), makeNode("b")]);
    const affinity = requiredAffinity({
      matchFields: [expr("metadata.name", "In", ["a"]), expr("metadata.name", "In", ["b"])],
    });
    const r = schedulePod(makePod("p", { affinity }), s);
    expect(r).to.deep.include({
      unschedulable: true,
      message:
        "0/2 nodes are available: pod affinity terms conflict. " +
        "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    });
  });
});
