import { expect } from "chai";
import {
  lifecycleTaintChanges,
  withTaintChanges,
} from "../../../../controller/nodelifecycle/node-taints.js";
import { at, node } from "./fixtures.js";

const now = at(100);
const unreachable = (effect: string, timeAdded = at(50)) => ({
  key: "node.kubernetes.io/unreachable",
  effect,
  timeAdded,
});
const notReady = (effect: string, timeAdded = at(50)) => ({
  key: "node.kubernetes.io/not-ready",
  effect,
  timeAdded,
});
const userTaint = { key: "dedicated", value: "gpu", effect: "NoExecute" };

describe("node lifecycle taints", () => {
  it("taints an unreachable node (Ready Unknown) NoExecute and NoSchedule, added now", () => {
    expect(lifecycleTaintChanges(node("a", { ready: "Unknown" }), "normal", now)).to.deep.equal({
      add: [unreachable("NoSchedule", now), unreachable("NoExecute", now)],
      remove: [],
    });
  });

  it("taints a node whose kubelet reports Ready False not-ready instead", () => {
    expect(lifecycleTaintChanges(node("a", { ready: "False" }), "normal", now)).to.deep.equal({
      add: [notReady("NoSchedule", now), notReady("NoExecute", now)],
      remove: [],
    });
  });

  it("leaves taints that are already right alone (their timeAdded keeps counting)", () => {
    const tainted = node("a", {
      ready: "Unknown",
      taints: [userTaint, unreachable("NoSchedule"), unreachable("NoExecute")],
    });
    expect(lifecycleTaintChanges(tainted, "normal", now)).to.deep.equal({ add: [], remove: [] });
  });

  it("removes them when the node is Ready again, keeping everyone else's taints in place", () => {
    const taints = [unreachable("NoSchedule"), userTaint, unreachable("NoExecute")];
    const changes = lifecycleTaintChanges(node("a", { ready: "True", taints }), "normal", now);
    expect(changes).to.deep.equal({
      add: [],
      remove: [unreachable("NoSchedule"), unreachable("NoExecute")],
    });
    expect(withTaintChanges(taints, changes)).to.deep.equal([userTaint]);
  });

  it("swaps unreachable for not-ready when the kubelet comes back reporting Ready False", () => {
    const tainted = node("a", {
      ready: "False",
      taints: [unreachable("NoSchedule"), unreachable("NoExecute")],
    });
    // Even where new NoExecute taints are paused: the node had one already.
    for (const mode of ["normal", "paused"] as const) {
      expect(lifecycleTaintChanges(tainted, mode, now), mode).to.deep.equal({
        add: [notReady("NoSchedule", now), notReady("NoExecute", now)],
        remove: [unreachable("NoSchedule"), unreachable("NoExecute")],
      });
    }
  });

  it("adds no new NoExecute taint in a partly disrupted zone, and removes them all when every zone is", () => {
    expect(lifecycleTaintChanges(node("a", { ready: "Unknown" }), "paused", now)).to.deep.equal({
      add: [unreachable("NoSchedule", now)],
      remove: [],
    });
    const tainted = node("a", {
      ready: "Unknown",
      taints: [unreachable("NoSchedule"), unreachable("NoExecute")],
    });
    expect(lifecycleTaintChanges(tainted, "suppressed", now)).to.deep.equal({
      add: [],
      remove: [unreachable("NoExecute")],
    });
  });

  it("leaves NoExecute taints alone on a node without a Ready condition", () => {
    const tainted = node("a", { taints: [unreachable("NoExecute")] });
    expect(lifecycleTaintChanges(tainted, "normal", now)).to.deep.equal({ add: [], remove: [] });
  });

  it("follows cordoning and pressure conditions with NoSchedule taints", () => {
    const pressured = node("a", {
      unschedulable: true,
      conditions: [
        { type: "Ready", status: "True" },
        { type: "MemoryPressure", status: "True" },
        { type: "DiskPressure", status: "False" },
        { type: "PIDPressure", status: "True" },
      ],
      taints: [{ key: "node.kubernetes.io/disk-pressure", effect: "NoSchedule" }],
    });
    expect(lifecycleTaintChanges(pressured, "normal", now)).to.deep.equal({
      add: [
        { key: "node.kubernetes.io/memory-pressure", effect: "NoSchedule", timeAdded: now },
        { key: "node.kubernetes.io/pid-pressure", effect: "NoSchedule", timeAdded: now },
        { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule", timeAdded: now },
      ],
      remove: [{ key: "node.kubernetes.io/disk-pressure", effect: "NoSchedule" }],
    });
    const uncordoned = node("a", {
      ready: "True",
      taints: [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule", timeAdded: at(1) }],
    });
    expect(lifecycleTaintChanges(uncordoned, "normal", now).remove).to.have.length(1);
  });

  it("does not touch a NoSchedule taint of the same key someone else put with another effect", () => {
    const theirs = { key: "node.kubernetes.io/unreachable", effect: "PreferNoSchedule" };
    const changes = lifecycleTaintChanges(
      node("a", { ready: "True", taints: [theirs] }),
      "normal",
      now,
    );
    expect(changes).to.deep.equal({ add: [], remove: [] });
  });
});
