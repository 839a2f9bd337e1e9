import { expect } from "chai";
import { RwLock } from "../../../../cni/runner/locks.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("CNI runner locks", () => {
  it("RwLock lets shared holders overlap, and an exclusive one wait for them and block new ones", async () => {
    const lock = new RwLock();
    const events: string[] = [];
    const shared = (name: string, ms: number) =>
      lock.shared(async () => {
        events.push(`start ${name}`);
        await sleep(ms);
        events.push(`end ${name}`);
      });
    const first = [shared("r1", 30), shared("r2", 10)];
    const gc = lock.exclusive(async () => {
      events.push("start gc");
      await sleep(10);
      events.push("end gc");
    });
    const late = shared("r3", 1);
    await Promise.all([...first, gc, late]);
    expect(events).to.deep.equal([
      "start r1",
      "start r2",
      "end r2",
      "end r1",
      "start gc",
      "end gc",
      "start r3",
      "end r3",
    ]);
  });

  it("RwLock releases after a failure", async () => {
    const lock = new RwLock();
    await lock.exclusive(async () => Promise.reject(new Error("x"))).catch(() => undefined);
    expect(await lock.shared(async () => 1)).to.equal(1);
  });
});
