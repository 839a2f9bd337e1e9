import { expect } from "chai";
import {
  countsForDisruption,
  disruptionView,
  zoneOf,
  zoneState,
} from "../../../../controller/nodelifecycle/zone-state.js";
import { node } from "./fixtures.js";

const readiness = (ready: number, notReady: number) => [
  ...Array<boolean>(ready).fill(true),
  ...Array<boolean>(notReady).fill(false),
];

describe("zone disruption states", () => {
  it("is fully disrupted only with no Ready node, partly from 55% and more than 2 not Ready", () => {
    expect(zoneState(readiness(0, 1))).to.equal("FullDisruption");
    expect(zoneState(readiness(0, 3))).to.equal("FullDisruption");
    expect(zoneState(readiness(1, 2))).to.equal("Normal");
    expect(zoneState(readiness(2, 3))).to.equal("PartialDisruption");
    expect(zoneState(readiness(3, 3))).to.equal("Normal");
    expect(zoneState(readiness(10, 11))).to.equal("Normal");
    expect(zoneState(readiness(9, 11)), "exactly 55%").to.equal("PartialDisruption");
    expect(zoneState([])).to.equal("Normal");
  });

  it("stops NoExecute tainting everywhere only when every zone is fully disrupted", () => {
    const oneZoneDown = disruptionView([
      { zone: "a", ready: false },
      { zone: "b", ready: true },
    ]);
    expect(oneZoneDown.allFullyDisrupted).to.equal(false);
    expect(oneZoneDown.modeOf("a")).to.equal("normal");
    const allDown = disruptionView([
      { zone: "a", ready: false },
      { zone: "b", ready: false },
    ]);
    expect(allDown.allFullyDisrupted).to.equal(true);
    expect(allDown.modeOf("a")).to.equal("suppressed");
    expect(allDown.modeOf("new-zone")).to.equal("suppressed");
    const partial = disruptionView(
      readiness(2, 3)
        .map((ready) => ({ zone: "a", ready }))
        .concat([{ zone: "b", ready: true }]),
    );
    expect(partial.modeOf("a")).to.equal("paused");
    expect(partial.modeOf("b")).to.equal("normal");
    expect(disruptionView([]).allFullyDisrupted).to.equal(false);
  });

  it("reads zones from the GA or beta region and zone labels, and honours exclude-disruption", () => {
    expect(zoneOf(node("a"))).to.equal("");
    expect(
      zoneOf(
        node("a", {
          labels: { "topology.kubernetes.io/region": "r", "topology.kubernetes.io/zone": "z" },
        }),
      ),
    ).to.equal("r:\u0000:z");
    expect(
      zoneOf(node("a", { labels: { "failure-domain.beta.kubernetes.io/zone": "z" } })),
    ).to.equal(":\u0000:z");
    expect(countsForDisruption(node("a"))).to.equal(true);
    expect(
      countsForDisruption(node("a", { labels: { "node.kubernetes.io/exclude-disruption": "" } })),
    ).to.equal(false);
  });
});
