import { expect } from "chai";
import {
  conditionsChanged,
  nextConditions,
  type ObservedNodeState,
} from "../../../../../agent/kubelet/node/node-conditions.js";

const healthy: ObservedNodeState = {
  readiness: { runtime: { ready: true }, network: { ready: true } },
  pressure: { memory: false, disk: false, pid: false },
};
const t0 = new Date("2025-03-01T10:00:00.400Z");
const t1 = new Date("2025-03-01T10:00:10Z");
const t2 = new Date("2025-03-01T10:00:20Z");

describe("agent/kubelet/node conditions", () => {
  it("reports kubelet's four conditions, healthy, with the time of the first report", () => {
    const { conditions, events } = nextConditions(undefined, healthy, t0);
    expect(conditions).to.deep.equal([
      {
        type: "MemoryPressure",
        status: "False",
        reason: "KubeletHasSufficientMemory",
        message: "kubelet has sufficient memory available",
        lastHeartbeatTime: "2025-03-01T10:00:00Z",
        lastTransitionTime: "2025-03-01T10:00:00Z",
      },
      {
        type: "DiskPressure",
        status: "False",
        reason: "KubeletHasNoDiskPressure",
        message: "kubelet has no disk pressure",
        lastHeartbeatTime: "2025-03-01T10:00:00Z",
        lastTransitionTime: "2025-03-01T10:00:00Z",
      },
      {
        type: "PIDPressure",
        status: "False",
        reason: "KubeletHasSufficientPID",
        message: "kubelet has sufficient PID available",
        lastHeartbeatTime: "2025-03-01T10:00:00Z",
        lastTransitionTime: "2025-03-01T10:00:00Z",
      },
      {
        type: "Ready",
        status: "True",
        reason: "KubeletReady",
        message: "kubelet is posting ready status",
        lastHeartbeatTime: "2025-03-01T10:00:00Z",
        lastTransitionTime: "2025-03-01T10:00:00Z",
      },
    ]);
    expect(events).to.deep.equal([
      "NodeHasSufficientMemory",
      "NodeHasNoDiskPressure",
      "NodeHasSufficientPID",
      "NodeReady",
    ]);
  });

  it("moves the heartbeat every time but the transition only when a status changes", () => {
    const first = nextConditions(undefined, healthy, t0).conditions;
    const same = nextConditions(first, healthy, t1);
    expect(same.events).to.deep.equal([]);
    expect(same.conditions.every((c) => c.lastHeartbeatTime === "2025-03-01T10:00:10Z")).to.equal(
      true,
    );
    expect(same.conditions.every((c) => c.lastTransitionTime === "2025-03-01T10:00:00Z")).to.equal(
      true,
    );
    expect(conditionsChanged(first, same.conditions)).to.equal(false);

    const pressured = nextConditions(
      same.conditions,
      { ...healthy, pressure: { memory: true, disk: true, pid: false } },
      t2,
    );
    expect(pressured.events).to.deep.equal(["NodeHasInsufficientMemory", "NodeHasDiskPressure"]);
    const byType = Object.fromEntries(pressured.conditions.map((c) => [c.type, c]));
    expect(byType.MemoryPressure).to.deep.include({
      status: "True",
      reason: "KubeletHasInsufficientMemory",
      lastTransitionTime: "2025-03-01T10:00:20Z",
    });
    expect(byType.DiskPressure).to.deep.include({
      status: "True",
      reason: "KubeletHasDiskPressure",
    });
    expect(byType.PIDPressure.lastTransitionTime).to.equal("2025-03-01T10:00:00Z");
    expect(byType.Ready.status).to.equal("True");
    expect(conditionsChanged(same.conditions, pressured.conditions)).to.equal(true);
  });

  it("is NotReady with the runtime's and the network's reasons", () => {
    const first = nextConditions(undefined, healthy, t0).conditions;
    const network = nextConditions(
      first,
      {
        ...healthy,
        readiness: {
          runtime: { ready: true },
          network: { ready: false, message: "no CNI config" },
        },
      },
      t1,
    );
    const ready = network.conditions.find((c) => c.type === "Ready")!;
    expect(ready).to.deep.include({
      status: "False",
      reason: "KubeletNotReady",
      message: "container runtime network not ready: no CNI config",
      lastTransitionTime: "2025-03-01T10:00:10Z",
    });
    expect(network.events).to.deep.equal(["NodeNotReady"]);
    const both = nextConditions(
      network.conditions,
      {
        ...healthy,
        readiness: {
          runtime: { ready: false, message: "runc missing" },
          network: { ready: false, message: "no CNI config" },
        },
      },
      t2,
    );
    const still = both.conditions.find((c) => c.type === "Ready")!;
    expect(still.message).to.equal(
      "[container runtime is down: runc missing, container runtime network not ready: no CNI config]",
    );
    expect(still.lastTransitionTime).to.equal("2025-03-01T10:00:10Z");
    expect(both.events).to.deep.equal([]);
    expect(conditionsChanged(network.conditions, both.conditions)).to.equal(true);
  });
});
