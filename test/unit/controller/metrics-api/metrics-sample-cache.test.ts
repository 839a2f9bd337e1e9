import { expect } from "chai";
import { NodeSampleCache } from "../../../../controller/api/metrics-api/sample-cache.js";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import { silentLogger } from "../../../../lib/logger.js";
import { ManualClock, readyNode, summaryBody } from "./metrics-fixtures.js";

describe("metrics API: the per-node scrape cache", () => {
  let clock: ManualClock;
  let scrapes: string[];
  let failing: Set<string>;
  let cache: NodeSampleCache;
  const source = async (node: KubeObject) => {
    const name = node.metadata!.name!;
    scrapes.push(name);
    if (failing.has(name)) throw new Error("connect ECONNREFUSED");
    return summaryBody({ nodeName: name, nodeCpuNs: clock.mono * 1e6, nodeWorkingSet: 4096 });
  };
  const n1 = readyNode("n1");
  const n2 = readyNode("n2");

  beforeEach(() => {
    clock = new ManualClock();
    scrapes = [];
    failing = new Set();
    cache = new NodeSampleCache(
      source,
      silentLogger(),
      { freshMs: 5_000, coldWindowMs: 1_000, maxWindowMs: 60_000 },
      clock,
    );
  });

  it("scrapes a node twice, a cold window apart, the first time it is asked about", async () => {
    const pair = await cache.pair(n1);
    expect(scrapes).to.deep.equal(["n1", "n1"]);
    expect(pair!.last.monoMs - pair!.prev.monoMs).to.equal(1_000);
  });

  it("answers from the cache while the last scrape is fresh, then slides the window", async () => {
    const first = await cache.pair(n1);
    clock.advance(4_999);
    expect(await cache.pair(n1)).to.deep.equal(first);
    expect(scrapes).to.have.length(2);
    clock.advance(2_001);
    const next = await cache.pair(n1);
    expect(scrapes).to.have.length(3);
    expect(next!.prev).to.deep.equal(first!.last);
    expect(next!.last.monoMs - next!.prev.monoMs).to.equal(7_000);
  });

  it("shares one scrape among concurrent requests", async () => {
    const [a, b, c] = await Promise.all([cache.pair(n1), cache.pair(n1), cache.pair(n2)]);
    expect(a).to.equal(b);
    expect(c).to.not.equal(undefined);
    expect(scrapes.sort()).to.deep.equal(["n1", "n1", "n2", "n2"]);
  });

  it("starts afresh when the last scrape is too old to average over", async () => {
    await cache.pair(n1);
    clock.advance(61_000);
    const pair = await cache.pair(n1);
    expect(scrapes).to.have.length(4);
    expect(pair!.last.monoMs - pair!.prev.monoMs).to.equal(1_000);
  });

  it("skips an unreachable node, remembers that for a fresh period, and retries after it", async () => {
    failing.add("n1");
    expect(await cache.pair(n1)).to.equal(undefined);
    expect(await cache.pair(n2)).to.not.equal(undefined);
    expect(await cache.pair(n1)).to.equal(undefined);
    expect(scrapes.filter((s) => s === "n1")).to.have.length(1);
    failing.clear();
    clock.advance(5_000);
    expect(await cache.pair(n1)).to.not.equal(undefined);
  });

  it("forgets a node's samples when a scrape fails, so no stale usage is served", async () => {
    await cache.pair(n1);
    clock.advance(6_000);
    failing.add("n1");
    expect(await cache.pair(n1)).to.equal(undefined);
    failing.clear();
    clock.advance(6_000);
    const pair = await cache.pair(n1);
    expect(pair!.last.monoMs - pair!.prev.monoMs, "a cold window again").to.equal(1_000);
  });

  it("refuses a summary from an agent that names another node", async () => {
    const impostor = new NodeSampleCache(
      async () => summaryBody({ nodeName: "other", nodeCpuNs: 1, nodeWorkingSet: 1 }),
      silentLogger(),
      {},
      clock,
    );
    expect(await impostor.pair(n1)).to.equal(undefined);
  });

  it("drops nodes nobody asked about for a whole window", async () => {
    await cache.pair(n1);
    await cache.pair(n2);
    expect(cache.size).to.equal(2);
    clock.advance(61_000);
    await cache.pair(n2);
    expect(cache.size).to.equal(1);
  });
});
