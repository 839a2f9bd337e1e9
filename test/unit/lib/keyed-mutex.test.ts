import { expect } from "chai";
import { KeyedMutex } from "../../../lib/keyed-mutex.js";

describe("KeyedMutex", () => {
  it("runs operations on one key one at a time, in order", async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const op = (name: string, ms: number) =>
      mutex.run("k", async () => {
        events.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`end ${name}`);
      });
    await Promise.all([op("a", 20), op("b", 1)]);
    expect(events).to.deep.equal(["start a", "end a", "start b", "end b"]);
  });

  it("lets different keys run at once, and a failure not block the next operation", async () => {
    const mutex = new KeyedMutex();
    const failed = mutex.run("k", async () => {
      throw new Error("boom");
    });
    expect(await failed.catch((e: Error) => e.message)).to.equal("boom");
    expect(await mutex.run("k", async () => 42)).to.equal(42);
    const [x, y] = await Promise.all([
      mutex.run("x", async () => 1),
      mutex.run("y", async () => 2),
    ]);
    expect([x, y]).to.deep.equal([1, 2]);
  });
});
