import { expect } from "chai";
import {
  evictionDecision,
  timedNoExecuteTaints,
  type TimedTaint,
} from "../../../../controller/nodelifecycle/eviction-decision.js";
import { at, node, pod, t0 } from "./fixtures.js";

const s = (seconds: number) => t0 + seconds * 1000;
const unreachable: TimedTaint = {
  key: "node.kubernetes.io/unreachable",
  effect: "NoExecute",
  since: s(0),
};
const notReady: TimedTaint = {
  key: "node.kubernetes.io/not-ready",
  effect: "NoExecute",
  since: s(0),
};
const tolerate = (key: string, seconds?: number) => ({
  key,
  operator: "Exists",
  effect: "NoExecute",
  ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}),
});
const defaults = [
  tolerate("node.kubernetes.io/not-ready", 300),
  tolerate("node.kubernetes.io/unreachable", 300),
];

describe("taint eviction decisions", () => {
  it("ignores pods not on a node, finished, or already being deleted", () => {
    expect(evictionDecision(pod("p"), [unreachable])).to.deep.equal({
      action: "ignore",
      reason: "unbound",
    });
    for (const phase of ["Succeeded", "Failed"]) {
      expect(evictionDecision(pod("p", { nodeName: "a", phase }), [unreachable])).to.deep.equal({
        action: "ignore",
        reason: "terminal",
      });
    }
    expect(
      evictionDecision(pod("p", { nodeName: "a", deleting: true }), [unreachable]),
    ).to.deep.equal({ action: "ignore", reason: "deleting" });
  });

  it("keeps a pod on a node without NoExecute taints (NoSchedule ones do not evict)", () => {
    const noSchedule = { ...unreachable, effect: "NoSchedule" };
    expect(evictionDecision(pod("p", { nodeName: "a" }), [])).to.deep.equal({ action: "keep" });
    expect(evictionDecision(pod("p", { nodeName: "a" }), [noSchedule])).to.deep.equal({
      action: "keep",
    });
  });

  it("evicts at once a pod that does not tolerate a taint", () => {
    const p = pod("p", {
      nodeName: "a",
      tolerations: [tolerate("node.kubernetes.io/not-ready", 300)],
    });
    expect(evictionDecision(p, [unreachable])).to.deep.equal({
      action: "evict",
      at: Number.NEGATIVE_INFINITY,
    });
  });

  it("evicts when tolerationSeconds run out after the taint was added", () => {
    const p = pod("p", { nodeName: "a", tolerations: defaults });
    expect(evictionDecision(p, [{ ...unreachable, since: s(7) }])).to.deep.equal({
      action: "evict",
      at: s(307),
    });
  });

  it("takes the earliest deadline over all taints (the min rule)", () => {
    const p = pod("p", {
      nodeName: "a",
      tolerations: [
        tolerate("node.kubernetes.io/not-ready", 60),
        tolerate("node.kubernetes.io/unreachable", 300),
      ],
    });
    expect(evictionDecision(p, [unreachable, notReady])).to.deep.equal({
      action: "evict",
      at: s(60),
    });
    // A later taint with a shorter toleration can still come first, or not.
    expect(evictionDecision(p, [unreachable, { ...notReady, since: s(200) }])).to.deep.equal({
      action: "evict",
      at: s(260),
    });
    expect(evictionDecision(p, [unreachable, { ...notReady, since: s(250) }])).to.deep.equal({
      action: "evict",
      at: s(300),
    });
  });

  it("keeps a pod tolerating without tolerationSeconds: the first matching toleration decides", () => {
    const forever = pod("p", {
      nodeName: "a",
      tolerations: [tolerate("node.kubernetes.io/unreachable"), ...defaults],
    });
    expect(evictionDecision(forever, [unreachable])).to.deep.equal({ action: "keep" });
    // …but another taint's limited toleration still applies.
    expect(evictionDecision(forever, [unreachable, notReady])).to.deep.equal({
      action: "evict",
      at: s(300),
    });
    const everything = pod("p", { nodeName: "a", tolerations: [{ operator: "Exists" }] });
    expect(evictionDecision(everything, [unreachable, notReady])).to.deep.equal({ action: "keep" });
  });

  it("evicts at the taint's time when tolerationSeconds is 0 or negative", () => {
    for (const seconds of [0, -5]) {
      const p = pod("p", {
        nodeName: "a",
        tolerations: [tolerate("node.kubernetes.io/unreachable", seconds)],
      });
      expect(evictionDecision(p, [{ ...unreachable, since: s(3) }]), String(seconds)).to.deep.equal(
        {
          action: "evict",
          at: s(3),
        },
      );
    }
  });

  it("matches tolerations by value and operator as the scheduler does", () => {
    const taint: TimedTaint = { key: "dedicated", value: "gpu", effect: "NoExecute", since: s(0) };
    const equal = pod("p", { nodeName: "a", tolerations: [{ key: "dedicated", value: "gpu" }] });
    const wrong = pod("p", { nodeName: "a", tolerations: [{ key: "dedicated", value: "cpu" }] });
    expect(evictionDecision(equal, [taint])).to.deep.equal({ action: "keep" });
    expect(evictionDecision(wrong, [taint]).action).to.equal("evict");
  });

  it("counts a taint from its timeAdded, or from when it was first seen without one", () => {
    const n = node("a", {
      ready: "Unknown",
      taints: [
        { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: at(12) },
        { key: "node.kubernetes.io/unreachable", effect: "NoSchedule", timeAdded: at(12) },
        { key: "dedicated", value: "gpu", effect: "NoExecute" },
      ],
    });
    expect(timedNoExecuteTaints(n, () => s(40))).to.deep.equal([
      {
        key: "node.kubernetes.io/unreachable",
        effect: "NoExecute",
        timeAdded: at(12),
        since: s(12),
      },
      { key: "dedicated", value: "gpu", effect: "NoExecute", since: s(40) },
    ]);
  });

  it("has nothing against pods of a node that is gone", () => {
    expect(timedNoExecuteTaints(undefined, () => 0)).to.deep.equal([]);
    expect(evictionDecision(pod("p", { nodeName: "gone" }), [])).to.deep.equal({ action: "keep" });
  });
});
