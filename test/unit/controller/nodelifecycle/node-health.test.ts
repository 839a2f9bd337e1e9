import { expect } from "chai";
import { isSilent, observeHealth } from "../../../../controller/nodelifecycle/node-health.js";
import { at, lease, node, t0 } from "./fixtures.js";

const settings = { gracePeriodMs: 40_000, startupGracePeriodMs: 60_000 };
const s = (seconds: number) => t0 + seconds * 1000;

describe("node health (when a node was last seen alive)", () => {
  it("gives a node seen for the first time the whole grace period, to the millisecond", () => {
    const health = observeHealth(
      undefined,
      node("a", { ready: "True", heartbeat: at(-3000) }),
      undefined,
      s(0),
    );
    expect(health.probeAt).to.equal(s(0));
    expect(isSilent(health, s(40), settings)).to.equal(false);
    expect(isSilent(health, s(40) + 1, settings)).to.equal(true);
  });

  it("counts a new Ready heartbeat as alive now, the same heartbeat again as nothing", () => {
    let health = observeHealth(
      undefined,
      node("a", { ready: "True", heartbeat: at(0) }),
      undefined,
      s(0),
    );
    health = observeHealth(
      health,
      node("a", { ready: "True", heartbeat: at(0) }),
      undefined,
      s(30),
    );
    expect(health.probeAt).to.equal(s(0));
    health = observeHealth(
      health,
      node("a", { ready: "True", heartbeat: at(35) }),
      undefined,
      s(36),
    );
    expect(health.probeAt).to.equal(s(36));
    expect(isSilent(health, s(76), settings)).to.equal(false);
    expect(isSilent(health, s(77), settings)).to.equal(true);
  });

  it("counts only a later Lease renewal, measured on the controller's clock", () => {
    const n = node("a", { ready: "True", heartbeat: at(0) });
    let health = observeHealth(undefined, n, lease("a", "2025-03-01T10:00:00.000000Z"), s(0));
    // The node's clock is far behind: its renewTime says nothing about how long ago that was.
    health = observeHealth(health, n, lease("a", "2025-03-01T09:00:01.500000Z"), s(20));
    expect(health.probeAt, "an earlier renewTime is no renewal").to.equal(s(0));
    health = observeHealth(health, n, lease("a", "2025-03-01T10:00:01.250000Z"), s(39));
    expect(health.probeAt).to.equal(s(39));
    health = observeHealth(health, n, lease("a", "2025-03-01T10:00:01.250000Z"), s(70));
    expect(health.probeAt, "the same renewTime again").to.equal(s(39));
    expect(isSilent(health, s(79), settings)).to.equal(false);
    expect(isSilent(health, s(80), settings)).to.equal(true);
  });

  it("does not take the controller's own Unknown write (same lastHeartbeatTime) for a heartbeat", () => {
    const before = node("a", { ready: "True", heartbeat: at(0) });
    const health = observeHealth(undefined, before, undefined, s(0));
    const unknown = node("a", {
      conditions: [
        { type: "Ready", status: "Unknown", lastHeartbeatTime: at(0), lastTransitionTime: at(41) },
      ],
    });
    expect(observeHealth(health, unknown, undefined, s(42)).probeAt).to.equal(s(0));
  });

  it("judges a node that never posted Ready from its creation, with the startup grace period", () => {
    const fresh = node("a", { created: at(-50) });
    const health = observeHealth(undefined, fresh, undefined, s(0));
    expect(health.probeAt).to.equal(s(-50));
    expect(isSilent(health, s(10), settings)).to.equal(false);
    expect(isSilent(health, s(10) + 1, settings)).to.equal(true);
    // Renewing a Lease is enough to count as alive, status or not.
    const renewing = observeHealth(health, fresh, lease("a", "2025-03-01T10:00:05.000000Z"), s(5));
    expect(isSilent(renewing, s(64), settings)).to.equal(false);
  });
});
