import { expect } from "chai";
import { goDuration } from "../../../../controller/api/metrics-api/go-duration.js";
import {
  cpuQuantity,
  memoryQuantity,
} from "../../../../controller/api/metrics-api/metrics-objects.js";

describe("metrics API: quantities and windows as metrics-server writes them", () => {
  it("writes CPU from nanocores in canonical DecimalSI", () => {
    expect(cpuQuantity(12_345)).to.equal("12345n");
    expect(cpuQuantity(159_946_273)).to.equal("159946273n");
    expect(cpuQuantity(12_345_000)).to.equal("12345u");
    expect(cpuQuantity(200_000_000)).to.equal("200m");
    expect(cpuQuantity(2_000_000_000)).to.equal("2");
    expect(cpuQuantity(0)).to.equal("0");
  });

  it("truncates fractional nanocores and never writes a negative amount", () => {
    expect(cpuQuantity(999.9)).to.equal("999n");
    expect(cpuQuantity(-5)).to.equal("0");
  });

  it("writes memory from bytes in canonical BinarySI", () => {
    expect(memoryQuantity(17_452 * 1024)).to.equal("17452Ki");
    expect(memoryQuantity(20 * 1024 * 1024)).to.equal("20Mi");
    expect(memoryQuantity(3 * 1024 ** 3)).to.equal("3Gi");
    expect(memoryQuantity(1025)).to.equal("1025");
    // Under 1Ki, Kubernetes falls back to DecimalSI.
    expect(memoryQuantity(1000)).to.equal("1k");
    expect(memoryQuantity(0)).to.equal("0");
  });

  it("writes the window as Go's time.Duration prints it", () => {
    expect(goDuration(0)).to.equal("0s");
    expect(goDuration(850)).to.equal("850ms");
    expect(goDuration(1_000)).to.equal("1s");
    expect(goDuration(15_012)).to.equal("15.012s");
    expect(goDuration(20_500)).to.equal("20.5s");
    expect(goDuration(60_000)).to.equal("1m0s");
    expect(goDuration(60_500)).to.equal("1m0.5s");
    expect(goDuration(2 * 3_600_000 + 3 * 60_000 + 4_000)).to.equal("2h3m4s");
  });
});
