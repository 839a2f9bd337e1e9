import { expect } from "chai";
import { SharedDownloads } from "../../../../agent/registry/pull/shared-downloads.js";

/** A download that runs until released or aborted, recording how it ended. */
function controllable() {
  const state = { starts: 0, aborted: false, release: () => {} };
  const download = (signal: AbortSignal, progress: (r: number, t: number) => void) => {
    state.starts += 1;
    progress(1, 2);
    return new Promise<void>((resolve, reject) => {
      state.release = resolve;
      signal.addEventListener("abort", () => {
        state.aborted = true;
        reject(signal.reason);
      });
    });
  };
  return { state, download };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("agent/registry/pull shared downloads", () => {
  it("runs one download for every waiter on the same key, and forwards its progress to each", async () => {
    const shared = new SharedDownloads();
    const { state, download } = controllable();
    const seen: string[] = [];
    const a = shared.join("k", download, () => seen.push("a"));
    const b = shared.join("k", download, () => seen.push("b"));
    await tick();
    expect(state.starts).to.equal(1);
    state.release();
    await Promise.all([a, b]);
    expect(seen).to.deep.equal(["a", "b"]);
    expect(shared.size).to.equal(0);
  });

  it("keeps downloading for the others when one waiter gives up, and stops when all have", async () => {
    const shared = new SharedDownloads();
    const { state, download } = controllable();
    const first = new AbortController();
    const second = new AbortController();
    const a = shared.join("k", download, () => {}, first.signal).catch((e: Error) => e);
    const b = shared.join("k", download, () => {}, second.signal).catch((e: Error) => e);
    first.abort(new Error("first gave up"));
    expect(((await a) as Error).message).to.equal("first gave up");
    expect(state.aborted).to.equal(false);
    second.abort(new Error("second gave up"));
    expect(((await b) as Error).message).to.equal("second gave up");
    expect(state.aborted).to.equal(true);
    expect(shared.size).to.equal(0);
  });

  it("starts afresh for a key whose download has finished", async () => {
    const shared = new SharedDownloads();
    const { state, download } = controllable();
    const a = shared.join("k", download, () => {});
    await tick();
    state.release();
    await a;
    const b = shared.join("k", download, () => {});
    await tick();
    state.release();
    await b;
    expect(state.starts).to.equal(2);
  });
});
