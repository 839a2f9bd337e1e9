import { expect } from "chai";
import { RecentRefusals } from "../../../../controller/api/node-proxy/recent-refusals.js";

describe("refusals kept for kubectl's SPDY retry", () => {
  it("gives a refusal back once, while it is recent", () => {
    let now = 1000;
    const refusals = new RecentRefusals(10_000, 10, () => now);
    refusals.remember("alice\n/exec", Buffer.from("HTTP/1.1 400 Bad Request\r\n\r\n"));
    expect(refusals.take("bob\n/exec")).to.equal(undefined);
    expect(refusals.take("alice\n/exec")?.toString()).to.equal("HTTP/1.1 400 Bad Request\r\n\r\n");
    expect(refusals.take("alice\n/exec"), "taken once").to.equal(undefined);
    refusals.remember("alice\n/exec", Buffer.from("old"));
    now += 10_001;
    expect(refusals.take("alice\n/exec"), "too old").to.equal(undefined);
  });

  it("keeps at most its limit, forgetting the oldest first", () => {
    const refusals = new RecentRefusals(10_000, 2, () => 0);
    for (const key of ["a", "b", "c"]) refusals.remember(key, Buffer.from(key));
    expect(["a", "b", "c"].map((k) => refusals.take(k)?.toString())).to.deep.equal([
      undefined,
      "b",
      "c",
    ]);
  });
});
