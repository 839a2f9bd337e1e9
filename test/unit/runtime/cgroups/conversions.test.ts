import { expect } from "chai";
import {
  cpuMaxLine,
  cpuSharesToWeight,
  cpuWeightToShares,
  memorySwapFromV2,
  memorySwapToV2,
} from "../../../../agent/runtime/cgroups/conversions.js";

describe("cgroup v1 ↔ v2 conversions", () => {
  it("maps cpu shares to cpu.weight with the runc/kubelet formula", () => {
    expect(cpuSharesToWeight(2)).to.equal(1);
    expect(cpuSharesToWeight(1024)).to.equal(39);
    expect(cpuSharesToWeight(512)).to.equal(20);
    expect(cpuSharesToWeight(262144)).to.equal(10000);
  });

  it("maps cpu.weight back to shares, the inverse at the ends", () => {
    expect(cpuWeightToShares(1)).to.equal(2);
    expect(cpuWeightToShares(10000)).to.equal(262144);
    expect(cpuWeightToShares(100)).to.equal(2597);
  });

  it("turns memory+swap into v2 swap.max = memsw − memory", () => {
    expect(memorySwapToV2(100, 300)).to.equal(200);
    expect(memorySwapToV2(100, 100)).to.equal(0);
    expect(memorySwapToV2(100, -1)).to.equal("max");
    expect(memorySwapToV2(100, undefined)).to.equal(undefined);
    expect(memorySwapToV2(-1, undefined)).to.equal("max");
    expect(memorySwapFromV2(100, 200)).to.equal(300);
    expect(memorySwapFromV2("max", 200)).to.equal("max");
  });

  it("refuses a swap limit without a memory limit or below it", () => {
    expect(() => memorySwapToV2(undefined, 300)).to.throw(/needs a memory limit/);
    expect(() => memorySwapToV2(300, 100)).to.throw(/below the memory limit/);
  });

  it("builds cpu.max, keeping the part not given", () => {
    expect(cpuMaxLine(50000, 100000)).to.equal("50000 100000");
    expect(cpuMaxLine(-1, undefined, "50000 100000")).to.equal("max 100000");
    expect(cpuMaxLine(undefined, 20000, "50000 100000")).to.equal("50000 20000");
  });
});
