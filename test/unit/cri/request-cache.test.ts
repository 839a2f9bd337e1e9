import { expect } from "chai";
import { RequestCache } from "../../../agent/cri/streaming/request-cache.js";
import { isBerthError } from "../../../lib/errors.js";

describe("CRI streaming request cache", () => {
  it("hands out distinct URL-safe tokens, each good once", () => {
    const cache = new RequestCache<string>();
    const tokens = Array.from({ length: 200 }, (_, i) => cache.insert(`r${i}`));
    expect(new Set(tokens).size).to.equal(200);
    for (const token of tokens) expect(token).to.match(/^[A-Za-z0-9_-]{11}$/);
    expect(cache.consume(tokens[7]!)).to.equal("r7");
    expect(cache.consume(tokens[7]!)).to.equal(undefined);
    expect(cache.consume("nosuchtoken")).to.equal(undefined);
    expect(cache.size).to.equal(199);
  });

  it("forgets requests after their minute", () => {
    let now = 1_000;
    const cache = new RequestCache<string>(60_000, 1000, () => now);
    const early = cache.insert("early");
    now += 30_000;
    const late = cache.insert("late");
    now += 30_000;
    expect(cache.consume(early), "expired at exactly its TTL").to.equal(undefined);
    expect(cache.size).to.equal(1);
    expect(cache.consume(late)).to.equal("late");
  });

  it("refuses more than its limit of waiting requests until some expire", () => {
    let now = 0;
    const cache = new RequestCache<number>(1_000, 3, () => now);
    [1, 2, 3].forEach((n) => cache.insert(n));
    let refused: unknown;
    try {
      cache.insert(4);
    } catch (err) {
      refused = err;
    }
    expect(isBerthError(refused, "Unavailable")).to.equal(true);
    expect((refused as Error).message).to.match(/in-flight/);
    now = 1_000;
    expect(() => cache.insert(5)).not.to.throw();
  });
});
