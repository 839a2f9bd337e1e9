import { expect } from "chai";
import { silentLogger } from "../../../../lib/logger.js";
import { WorkQueue } from "../../../../controller/client/work-queue.js";

describe("work queue", () => {
  it("runs a key queued many times once, and again when queued while running", async () => {
    const runs: string[] = [];
    let release: () => void = () => {};
    const q = new WorkQueue(
      "t",
      async (key) => {
        runs.push(key);
        if (runs.length === 1) await new Promise<void>((r) => (release = r));
      },
      silentLogger(),
    );
    q.add("a");
    q.add("a");
    await new Promise((r) => setTimeout(r, 5));
    q.add("a"); // while running
    q.add("a");
    release();
    await q.idle();
    expect(runs).to.deep.equal(["a", "a"]);
    q.stop();
  });

  it("retries a failing key with backoff until it succeeds", async () => {
    let attempts = 0;
    const q = new WorkQueue(
      "t",
      async () => {
        attempts++;
        if (attempts < 3) throw new Error("not yet");
      },
      silentLogger(),
    );
    q.add("k");
    const deadline = Date.now() + 2000;
    while (attempts < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await q.idle();
    expect(attempts).to.equal(3);
    q.stop();
  });
});
