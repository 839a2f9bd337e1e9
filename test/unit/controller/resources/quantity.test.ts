import { expect } from "chai";
import {
  canonicalQuantity,
  compareQuantities,
  parseQuantity,
  readQuantity,
  validateQuantity,
  type Quantity,
} from "../../../../controller/resources/quantity.js";

const q = (text: string) => readQuantity(text) as Quantity;
const formatError =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

describe("controller/resources quantity", () => {
  it("parses decimal, binary and exponent forms to numbers", () => {
    expect(parseQuantity("100m")).to.equal(0.1);
    expect(parseQuantity("1.5Gi")).to.equal(1610612736);
    expect(parseQuantity("1e3")).to.equal(1000);
    expect(parseQuantity("128974848")).to.equal(128974848);
    expect(parseQuantity("129M")).to.equal(129e6);
    expect(parseQuantity("123Mi")).to.equal(123 * 1024 * 1024);
    expect(parseQuantity("0.5")).to.equal(0.5);
    expect(parseQuantity(".5")).to.equal(0.5);
    expect(parseQuantity("-2k")).to.equal(-2000);
    expect(parseQuantity("1E")).to.equal(1e18);
    expect(parseQuantity("2e-3")).to.equal(0.002);
    expect(parseQuantity("10n")).to.be.closeTo(1e-8, 1e-20);
    expect(parseQuantity("5u")).to.be.closeTo(5e-6, 1e-18);
  });

  it("rounds amounts below a nano unit up, as Kubernetes does", () => {
    expect(parseQuantity("0.0000000001")).to.be.closeTo(1e-9, 1e-21);
  });

  it("refuses text outside the grammar with Kubernetes' messages", () => {
    expect(() => parseQuantity("abc")).to.throw(formatError);
    expect(() => parseQuantity("")).to.throw(formatError);
    expect(() => parseQuantity("1.5.5")).to.throw(formatError);
    expect(() => parseQuantity("1Mi2")).to.throw("unable to parse quantity's suffix");
    expect(() => parseQuantity("1e")).to.throw("unable to parse quantity's suffix");
    expect(() => parseQuantity("1x")).to.throw(formatError);
    expect(() => parseQuantity("Gi")).to.throw("unable to parse numeric part of quantity");
  });

  it("validates a field value, numbers included, naming the field", () => {
    expect(validateQuantity("250m", "spec.cpu")).to.deep.equal([]);
    expect(validateQuantity(2, "spec.cpu")).to.deep.equal([]);
    expect(validateQuantity("2 cores", "spec.containers[0].resources.limits[cpu]")).to.deep.equal([
      {
        reason: "FieldValueInvalid",
        message: `Invalid value: "2 cores": ${formatError}`,
        field: "spec.containers[0].resources.limits[cpu]",
      },
    ]);
    expect(validateQuantity(true, "x")[0].message).to.equal(`Invalid value: true: ${formatError}`);
  });

  it("writes quantities back in Kubernetes' canonical form", () => {
    const cases: [string | number, string][] = [
      ["0.5", "500m"],
      ["1000m", "1"],
      ["1500m", "1500m"],
      ["1000", "1k"],
      ["128974848", "128974848"],
      ["2048Mi", "2Gi"],
      ["1.5Gi", "1536Mi"],
      ["1000Ki", "1000Ki"],
      ["0.5Ki", "512"],
      ["1e3", "1e3"],
      ["12e2", "1200"],
      ["0", "0"],
      ["-1.5", "-1500m"],
      ["1Ki", "1Ki"],
      [0.25, "250m"],
      ["100M", "100M"],
    ];
    for (const [input, canonical] of cases) {
      expect(canonicalQuantity(input), String(input)).to.equal(canonical);
    }
    expect(canonicalQuantity("bogus")).to.equal(undefined);
  });

  it("compares exactly across formats", () => {
    expect(compareQuantities(q("1Gi"), q("1073741824"))).to.equal(0);
    expect(compareQuantities(q("500m"), q("0.5"))).to.equal(0);
    expect(compareQuantities(q("1G"), q("1Gi"))).to.equal(-1);
    expect(compareQuantities(q("2"), q("1999m"))).to.equal(1);
  });
});
