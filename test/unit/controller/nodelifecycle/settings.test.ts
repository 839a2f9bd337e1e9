import { expect } from "chai";
import { parseDuration } from "../../../../controller/nodelifecycle/go-duration.js";
import { nodeLifecycleSettings } from "../../../../controller/nodelifecycle/settings.js";

describe("node lifecycle settings", () => {
  it("reads Go durations and bare seconds", () => {
    const cases: Array<[string, number]> = [
      ["40s", 40_000],
      ["1m30s", 90_000],
      ["500ms", 500],
      ["1.5h", 5_400_000],
      ["2h45m", 9_900_000],
      ["40", 40_000],
      ["2.5", 2_500],
      ["0", 0],
    ];
    for (const [text, ms] of cases) expect(parseDuration(text, "f"), text).to.equal(ms);
  });

  it("names the flag of a value that is not a duration", () => {
    for (const bad of ["", "abc", "10x", "-1s", "1m 30s", "s", "40s5"]) {
      expect(() => parseDuration(bad, "node-monitor-grace-period"), JSON.stringify(bad))
        .to.throw(`--node-monitor-grace-period: ${JSON.stringify(bad)} is not a duration`)
        .with.property("field", "node-monitor-grace-period");
    }
  });

  it("defaults as kube-controller-manager, checking every ~grace/8 but at least once a second", () => {
    expect(nodeLifecycleSettings()).to.deep.equal({
      gracePeriodMs: 40_000,
      startupGracePeriodMs: 60_000,
      monitorPeriodMs: 1000,
    });
    expect(nodeLifecycleSettings({ gracePeriodMs: 3000 })).to.deep.equal({
      gracePeriodMs: 3000,
      startupGracePeriodMs: 60_000,
      monitorPeriodMs: 375,
    });
    expect(nodeLifecycleSettings({ gracePeriodMs: 120_000 }).startupGracePeriodMs).to.equal(
      120_000,
    );
  });

  it("rejects out-of-range values, naming the option", () => {
    expect(() => nodeLifecycleSettings({ gracePeriodMs: 0 }))
      .to.throw(/gracePeriodMs must be a duration from 1 ms to 24 h in milliseconds, not 0/)
      .with.property("field", "gracePeriodMs");
    expect(() => nodeLifecycleSettings({ monitorPeriodMs: Number.NaN })).to.throw(
      /monitorPeriodMs/,
    );
  });
});
