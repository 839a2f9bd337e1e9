import { expect } from "chai";
import { formatAge, humanDuration } from "../../../../../controller/resources/tables/age.js";
import { ago, now } from "./table-fixtures.js";

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe("controller/resources/tables age", () => {
  it("prints seconds up to two minutes", () => {
    expect(humanDuration(0)).to.equal("0s");
    expect(humanDuration(45 * S)).to.equal("45s");
    expect(humanDuration(119 * S + 999)).to.equal("119s");
  });

  it("prints minutes and seconds under ten minutes, dropping zero seconds", () => {
    expect(humanDuration(2 * M)).to.equal("2m");
    expect(humanDuration(3 * M + 5 * S)).to.equal("3m5s");
    expect(humanDuration(9 * M + 59 * S)).to.equal("9m59s");
  });

  it("prints whole minutes under three hours", () => {
    expect(humanDuration(10 * M + 30 * S)).to.equal("10m");
    expect(humanDuration(179 * M + 59 * S)).to.equal("179m");
  });

  it("prints hours and minutes under eight hours, whole hours under two days", () => {
    expect(humanDuration(3 * H)).to.equal("3h");
    expect(humanDuration(3 * H + 7 * M + 59 * S)).to.equal("3h7m");
    expect(humanDuration(7 * H + 59 * M)).to.equal("7h59m");
    expect(humanDuration(8 * H + 30 * M)).to.equal("8h");
    expect(humanDuration(47 * H + 59 * M)).to.equal("47h");
  });

  it("prints days and hours under eight days, whole days under two years", () => {
    expect(humanDuration(2 * D)).to.equal("2d");
    expect(humanDuration(6 * D + 5 * H + 30 * M)).to.equal("6d5h");
    expect(humanDuration(7 * D + 23 * H)).to.equal("7d23h");
    expect(humanDuration(8 * D + 23 * H)).to.equal("8d");
    expect(humanDuration(729 * D)).to.equal("729d");
  });

  it("prints 365-day years and days under eight years, whole years after", () => {
    expect(humanDuration(730 * D)).to.equal("2y");
    expect(humanDuration((3 * 365 + 12) * D)).to.equal("3y12d");
    expect(humanDuration((8 * 365 - 1) * D)).to.equal("7y364d");
    expect(humanDuration(8 * 365 * D)).to.equal("8y");
    expect(humanDuration((10 * 365 + 200) * D)).to.equal("10y");
  });

  it("tolerates a clock up to a second ahead, and calls anything further in the future invalid", () => {
    expect(humanDuration(-1 * S)).to.equal("0s");
    expect(humanDuration(-1999)).to.equal("0s");
    expect(humanDuration(-2 * S)).to.equal("<invalid>");
    expect(humanDuration(-3 * D)).to.equal("<invalid>");
  });

  it("formats the age of an RFC3339 or MicroTime timestamp at a given moment", () => {
    expect(formatAge(ago(185), now)).to.equal("3m5s");
    expect(formatAge("2025-06-01T11:59:15.123456Z", now)).to.equal("44s");
    expect(formatAge("2025-06-01T13:00:00Z", now)).to.equal("<invalid>");
  });

  it("prints <unknown> for a missing or unreadable timestamp", () => {
    expect(formatAge(undefined, now)).to.equal("<unknown>");
    expect(formatAge("", now)).to.equal("<unknown>");
    expect(formatAge("yesterday-ish", now)).to.equal("<unknown>");
  });
});
