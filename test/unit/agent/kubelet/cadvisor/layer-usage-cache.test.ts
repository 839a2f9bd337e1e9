import { expect } from "chai";
import { LayerUsageCache } from "../../../../../agent/kubelet/cadvisor/layer-usage-cache.js";

describe("cadvisor writable-layer usage cache", () => {
  let now: number;
  let walks: string[];
  let sizes: Map<string, number>;
  const make = () =>
    new LayerUsageCache(
      async (id) => {
        walks.push(id);
        return sizes.get(id);
      },
      10_000,
      () => now,
    );
  beforeEach(() => {
    now = 0;
    walks = [];
    sizes = new Map([["a", 100]]);
  });

  it("walks once per container within the TTL, concurrent asks sharing the walk", async () => {
    const cache = make();
    expect(await Promise.all([cache.get("a"), cache.get("a")])).to.deep.equal([100, 100]);
    now = 9_999;
    expect(await cache.get("a")).to.equal(100);
    expect(walks).to.deep.equal(["a"]);
  });

  it("answers the stale value past the TTL while a new walk runs, then the new one", async () => {
    const cache = make();
    await cache.get("a");
    sizes.set("a", 250);
    now = 10_000;
    expect(await cache.get("a")).to.equal(100);
    await new Promise((r) => setImmediate(r));
    expect(await cache.get("a")).to.equal(250);
    expect(walks).to.deep.equal(["a", "a"]);
  });

  it("forgets containers that are gone and retries after a failed walk", async () => {
    const cache = make();
    await cache.get("a");
    sizes.set("b", 7);
    await cache.get("b");
    cache.retain(new Set(["b"]));
    expect(cache.size).to.equal(1);
    const failing = new LayerUsageCache(async () => {
      walks.push("x");
      throw new Error("EIO");
    });
    await failing.get("x").then(
      () => expect.fail("expected the walk's error"),
      (err: Error) => expect(err.message).to.equal("EIO"),
    );
    await failing.get("x").catch(() => undefined);
    expect(walks.filter((w) => w === "x")).to.have.length(2);
  });
});
