import { expect } from "chai";
import { TokenCache } from "../../../../agent/registry/transport/token-cache.js";

describe("bearer token cache", () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it("keeps a token until shortly before expires_in runs out", () => {
    const cache = new TokenCache(clock);
    cache.set("k", "t1", 300);
    now += 289_000;
    expect(cache.get("k")).to.equal("t1");
    now += 2_000; // 291 s: within the 10 s early-renewal margin
    expect(cache.get("k")).to.equal(undefined);
  });

  it("uses 60 s when the realm says nothing (or nonsense) about expiry", () => {
    for (const expiresIn of [undefined, 0, -5, Number.NaN]) {
      const cache = new TokenCache(clock);
      cache.set("k", "t", expiresIn);
      now += 53_000;
      expect(cache.get("k"), String(expiresIn)).to.equal("t");
      now += 2_000;
      expect(cache.get("k"), String(expiresIn)).to.equal(undefined);
      now -= 55_000;
    }
  });

  it("keeps short-lived tokens for most of their life", () => {
    const cache = new TokenCache(clock);
    cache.set("k", "t", 5);
    now += 4_400;
    expect(cache.get("k")).to.equal("t");
    now += 200;
    expect(cache.get("k")).to.equal(undefined);
  });

  it("keeps tokens apart by key and forgets one on delete", () => {
    const cache = new TokenCache(clock);
    cache.set("a", "ta", 60);
    cache.set("b", "tb", 60);
    cache.delete("a");
    expect(cache.get("a")).to.equal(undefined);
    expect(cache.get("b")).to.equal("tb");
  });

  it("shares one fetch among concurrent askers and caches its result", async () => {
    const cache = new TokenCache(clock);
    let fetches = 0;
    const fetch = async () => {
      fetches++;
      await new Promise((r) => setTimeout(r, 10));
      return { token: `t${fetches}`, expiresInS: 60 };
    };
    const tokens = await Promise.all([1, 2, 3].map(() => cache.getOrFetch("k", fetch)));
    expect(tokens).to.deep.equal(["t1", "t1", "t1"]);
    expect(await cache.getOrFetch("k", fetch)).to.equal("t1");
    expect(fetches).to.equal(1);
    now += 60_000;
    expect(await cache.getOrFetch("k", fetch)).to.equal("t2");
  });

  it("does not cache a failed fetch", async () => {
    const cache = new TokenCache(clock);
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error("realm down");
    };
    for (let i = 0; i < 2; i++) {
      try {
        await cache.getOrFetch("k", failing);
      } catch {
        // expected
      }
    }
    expect(calls).to.equal(2);
  });
});
