import { expect } from "chai";
import {
  addQuantities,
  compareQuantities,
  parseQuantity,
  quantityMilliValue,
  quantityValue,
} from "../../../../../agent/kubelet/spec/quantity.js";
import { isBerthError } from "../../../../../lib/errors.js";

describe("agent/kubelet/spec quantity", () => {
  it("reads decimal SI suffixes as powers of 1000 (m, k, M, G, T, P, E)", () => {
    expect(quantityMilliValue("250m")).to.equal(250n);
    expect(quantityValue("1k")).to.equal(1000n);
    expect(quantityValue("2M")).to.equal(2_000_000n);
    expect(quantityValue("3G")).to.equal(3_000_000_000n);
    expect(quantityValue("1T")).to.equal(10n ** 12n);
    expect(quantityValue("1P")).to.equal(10n ** 15n);
    expect(quantityValue("1E")).to.equal(10n ** 18n);
  });

  it("reads binary SI suffixes as powers of 1024 (Ki … Ei)", () => {
    expect(quantityValue("1Ki")).to.equal(1024n);
    expect(quantityValue("128Mi")).to.equal(128n * 1024n * 1024n);
    expect(quantityValue("1.5Gi")).to.equal(1536n * 1024n * 1024n);
    expect(quantityValue("1Ei")).to.equal(2n ** 60n);
  });

  it("reads e-notation exponents, and a bare E as exa", () => {
    expect(quantityValue("1e3")).to.equal(1000n);
    expect(quantityValue("12E2")).to.equal(1200n);
    expect(quantityMilliValue("5e-3")).to.equal(5n);
    expect(quantityValue("2E")).to.equal(2n * 10n ** 18n);
  });

  it("accepts signs and fractions written 1., .5 or 0.1", () => {
    expect(quantityMilliValue("0.1")).to.equal(100n);
    expect(quantityMilliValue(".5")).to.equal(500n);
    expect(quantityValue("1.")).to.equal(1n);
    expect(quantityValue("+4k")).to.equal(4000n);
    expect(quantityMilliValue("-1")).to.equal(-1000n);
  });

  it("rounds up to whole units or thousandths, as Value() and MilliValue() do", () => {
    expect(quantityValue("1.1")).to.equal(2n);
    expect(quantityValue("100m")).to.equal(1n);
    expect(quantityMilliValue("1u")).to.equal(1n);
    expect(quantityMilliValue("1500u")).to.equal(2n);
    expect(quantityMilliValue("2n")).to.equal(1n);
  });

  it("keeps fractions exact when adding and comparing (0.1 + 0.2 == 300m)", () => {
    const sum = addQuantities(parseQuantity("0.1"), parseQuantity("0.2"));
    expect(compareQuantities(sum, parseQuantity("300m"))).to.equal(0);
    expect(compareQuantities(parseQuantity("1Gi"), parseQuantity("1G"))).to.equal(1);
    expect(compareQuantities(parseQuantity("999m"), parseQuantity("1"))).to.equal(-1);
  });

  for (const junk of ["", "abc", "1.2.3", "1 Gi", "1e", "1GB", "Mi", "--1", "1e99999"]) {
    it(`rejects ${JSON.stringify(junk)} with an InvalidArgument error naming the field`, () => {
      let caught: unknown;
      try {
        parseQuantity(junk, "spec.containers[0].resources.limits.memory");
      } catch (err) {
        caught = err;
      }
      expect(isBerthError(caught, "InvalidArgument")).to.equal(true);
      expect((caught as Error).message).to.contain("spec.containers[0].resources.limits.memory");
      expect((caught as Error).message).to.contain(JSON.stringify(junk));
    });
  }
});
