import { expect } from "chai";
import { CpuRateCache } from "../../../../agent/runtime/stats/cpu-rate-cache.js";

const second = 1_000_000_000n;

describe("CPU rate cache (usage_nano_cores)", () => {
  it("has no rate for a cgroup's first reading", () => {
    expect(new CpuRateCache().rate("/pod/a", 5_000, 10n * second)).to.equal(undefined);
  });

  it("computes ns of CPU per second since the previous reading of the same cgroup", () => {
    const rates = new CpuRateCache();
    rates.rate("/pod/a", 1_000_000_000, 10n * second);
    rates.rate("/pod/b", 0, 10n * second);
    // 1.5 s of CPU over 2 s: 0.75 cores.
    expect(rates.rate("/pod/a", 2_500_000_000, 12n * second)).to.equal(750_000_000);
    // Then over the next interval only.
    expect(rates.rate("/pod/a", 2_500_000_000, 13n * second)).to.equal(0);
    expect(rates.rate("/pod/b", 4_000_000_000, 12n * second)).to.equal(2_000_000_000);
  });

  it("gives no rate when the counter went backwards (a new cgroup at the same path) or time did not move", () => {
    const rates = new CpuRateCache();
    rates.rate("/c", 9_000, 10n * second);
    expect(rates.rate("/c", 100, 11n * second)).to.equal(undefined);
    expect(rates.rate("/c", 200, 11n * second)).to.equal(undefined);
    expect(rates.rate("/c", 1_000_000_200, 12n * second)).to.equal(1_000_000_000);
  });

  it("forgets cgroups not read for longer than its maximum age", () => {
    const rates = new CpuRateCache(60n * second);
    rates.rate("/gone", 1, 0n);
    rates.rate("/kept", 1, 30n * second);
    rates.rate("/kept", 2, 61n * second);
    expect(rates.size).to.equal(1);
    expect(rates.rate("/gone", 5, 62n * second)).to.equal(undefined);
  });
});
