import { expect } from "chai";
import { LeaseDeadline, stepDownMarginMs } from "../../../../controller/leader/lease-deadline.js";

describe("controller/leader lease deadline", () => {
  it("holds nothing before a grant is confirmed", () => {
    const deadline = new LeaseDeadline();
    expect(deadline.holds(0)).to.equal(false);
    expect(deadline.expiresAt).to.equal(Number.NEGATIVE_INFINITY);
  });

  it("counts the TTL from when the request was sent, not answered", () => {
    const deadline = new LeaseDeadline();
    deadline.confirmed(10_000, 15);
    expect(deadline.expiresAt).to.equal(25_000);
    // 10 % of 15 s, capped at 1 s.
    expect(deadline.stepDownAt).to.equal(24_000);
    expect(deadline.holds(23_999)).to.equal(true);
    expect(deadline.holds(24_000)).to.equal(false);
  });

  it("moves on with each renewal but never back for a late answer to an older send", () => {
    const deadline = new LeaseDeadline();
    deadline.confirmed(0, 3);
    deadline.confirmed(1_000, 3);
    expect(deadline.expiresAt).to.equal(4_000);
    deadline.confirmed(500, 3);
    expect(deadline.expiresAt).to.equal(4_000);
    expect(deadline.stepDownAt).to.equal(3_700);
  });

  it("keeps the step-down margin between 100 ms and 1 s", () => {
    expect(stepDownMarginMs(1)).to.equal(100);
    expect(stepDownMarginMs(2)).to.equal(200);
    expect(stepDownMarginMs(10)).to.equal(1000);
    expect(stepDownMarginMs(60)).to.equal(1000);
  });

  it("refuses a TTL of 0 (etcd's answer for a lease that is gone)", () => {
    expect(() => new LeaseDeadline().confirmed(0, 0)).to.throw(RangeError, /positive/);
  });
});
