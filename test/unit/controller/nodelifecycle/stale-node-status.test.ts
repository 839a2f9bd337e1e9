import { expect } from "chai";
import { unknownConditions } from "../../../../controller/nodelifecycle/stale-node-status.js";
import { at, node } from "./fixtures.js";

const healthy = (heartbeat: string) => [
  {
    type: "MemoryPressure",
    status: "False",
    reason: "KubeletHasSufficientMemory",
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: at(-600),
  },
  {
    type: "DiskPressure",
    status: "False",
    reason: "KubeletHasNoDiskPressure",
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: at(-600),
  },
  {
    type: "PIDPressure",
    status: "False",
    reason: "KubeletHasSufficientPID",
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: at(-600),
  },
  {
    type: "Ready",
    status: "True",
    reason: "KubeletReady",
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: at(-600),
  },
  {
    type: "NetworkUnavailable",
    status: "False",
    reason: "RouteCreated",
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: at(-600),
  },
];

describe("stale node status (Kubelet stopped posting node status)", () => {
  it("makes the kubelet's conditions Unknown, keeps their heartbeat and NetworkUnavailable", () => {
    const conditions = unknownConditions(node("a", { conditions: healthy(at(0)) }), at(41))!;
    for (const type of ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]) {
      expect(
        conditions.find((c) => c.type === type),
        type,
      ).to.deep.include({
        status: "Unknown",
        reason: "NodeStatusUnknown",
        message: "Kubelet stopped posting node status.",
        lastHeartbeatTime: at(0),
        lastTransitionTime: at(41),
      });
    }
    expect(conditions.find((c) => c.type === "NetworkUnavailable")).to.deep.include({
      status: "False",
      reason: "RouteCreated",
    });
    expect(conditions.map((c) => c.type)).to.deep.equal(healthy("").map((c) => c.type));
  });

  it("adds the conditions a kubelet never posted, heartbeat at the node's creation", () => {
    const conditions = unknownConditions(node("a", { created: at(-70) }), at(0))!;
    expect(conditions).to.have.length(4);
    expect(conditions.find((c) => c.type === "Ready")).to.deep.equal({
      type: "Ready",
      status: "Unknown",
      lastHeartbeatTime: at(-70),
      lastTransitionTime: at(0),
      reason: "NodeStatusNeverUpdated",
      message: "Kubelet never posted node status.",
    });
  });

  it("answers nothing to write when they are Unknown already", () => {
    const once = unknownConditions(node("a", { conditions: healthy(at(0)) }), at(41))!;
    expect(unknownConditions(node("a", { conditions: once }), at(80))).to.equal(undefined);
  });
});
