import { expect } from "chai";
import { Backoff, goDuration } from "../../../../../agent/kubelet/sync/backoff.js";

describe("agent/kubelet/sync backoff (CrashLoopBackOff)", () => {
  const clock = { now: 1_000_000 };
  const make = () => new Backoff({ now: () => clock.now });
  const key = "uid/app";

  it("lets the first restart go at once, then waits 10 s, 20 s, 40 s… up to 5 min", () => {
    const b = make();
    let exit = clock.now;
    expect(b.isInBackOffSince(key, exit)).to.equal(false);
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      b.next(key, exit);
      delays.push(b.delayMs(key));
      clock.now += 1000;
      exit = clock.now;
      expect(b.isInBackOffSince(key, exit)).to.equal(true);
      clock.now += b.delayMs(key);
    }
    expect(delays).to.deep.equal([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    expect(b.isInBackOffSince(key, exit)).to.equal(false);
  });

  it("is in back-off only until the delay has passed since the exit", () => {
    const b = make();
    b.next(key, clock.now);
    const exit = clock.now + 5_000;
    clock.now = exit + 9_999;
    expect(b.isInBackOffSince(key, exit)).to.equal(true);
    clock.now = exit + 10_000;
    expect(b.isInBackOffSince(key, exit)).to.equal(false);
  });

  it("starts over after a container ran for 10 minutes", () => {
    const b = make();
    for (let i = 0; i < 4; i++) b.next(key, clock.now);
    expect(b.delayMs(key)).to.equal(80_000);
    const exit = clock.now + 10 * 60_000 + 1;
    clock.now = exit;
    expect(b.isInBackOffSince(key, exit)).to.equal(false);
    b.next(key, exit);
    expect(b.delayMs(key)).to.equal(10_000);
  });

  it("keeps keys apart, forgets a pod's keys and drops stale entries", () => {
    const b = make();
    b.next("a/x", clock.now);
    b.next("b/x", clock.now);
    b.forgetPrefix("a/");
    expect(b.delayMs("a/x")).to.equal(0);
    expect(b.delayMs("b/x")).to.equal(10_000);
    clock.now += 10 * 60_000 + 1;
    b.gc();
    expect(b.delayMs("b/x")).to.equal(0);
  });

  it("measures a pull back-off from the last attempt (ImagePullBackOff)", () => {
    const b = make();
    b.next(key, clock.now);
    expect(b.isInBackOffSinceUpdate(key, clock.now + 9_000)).to.equal(true);
    expect(b.isInBackOffSinceUpdate(key, clock.now + 10_000)).to.equal(false);
  });

  it("prints delays as Go does", () => {
    expect([10_000, 80_000, 160_000, 300_000].map(goDuration)).to.deep.equal([
      "10s",
      "1m20s",
      "2m40s",
      "5m0s",
    ]);
  });
});
