import { expect } from "chai";
import { EventRing } from "../../../../controller/api/cache/event-ring.js";
import { ObjectChange } from "../../../../controller/api/cache/object-change.js";

const change = (revision: number, key = `/k${revision}`) =>
  new ObjectChange("put", key, { metadata: { name: key } }, undefined, revision);
const revisions = (changes: ObjectChange[]) => changes.map((c) => c.revision);

describe("controller/api/cache event ring", () => {
  it("answers the changes after a revision, oldest first", () => {
    const ring = new EventRing(10, 5);
    for (const r of [6, 7, 7, 9]) ring.push(change(r));
    expect(revisions(ring.since(5))).to.deep.equal([6, 7, 7, 9]);
    expect(revisions(ring.since(6))).to.deep.equal([7, 7, 9]);
    expect(revisions(ring.since(8))).to.deep.equal([9]);
    expect(revisions(ring.since(9))).to.deep.equal([]);
    expect(revisions(ring.since(50))).to.deep.equal([]);
  });

  it("drops the oldest when full and then resumes only from the dropped revision on", () => {
    const ring = new EventRing(3, 10);
    expect(ring.oldestResumable).to.equal(10);
    for (const r of [11, 12, 13, 14, 15]) ring.push(change(r));
    expect(ring.size).to.equal(3);
    expect(ring.oldestResumable).to.equal(12);
    expect(revisions(ring.since(12))).to.deep.equal([13, 14, 15]);
    expect(() => ring.since(11)).to.throw(RangeError, /older than the ring/);
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => new EventRing(0, 1)).to.throw(RangeError, /capacity/);
    expect(() => new EventRing(1.5, 1)).to.throw(RangeError, /capacity/);
  });
});

describe("controller/api/cache object change", () => {
  it("sends a delete as the last state at the delete's revision, encoded once", () => {
    const last = { metadata: { name: "a", resourceVersion: "7" }, data: { v: "1" } };
    const deleted = new ObjectChange("delete", "/a", last, undefined, 9);
    expect(deleted.sent.metadata?.resourceVersion).to.equal("9");
    expect(last.metadata.resourceVersion).to.equal("7");
    const json = deleted.json();
    expect(JSON.parse(json)).to.deep.equal({
      metadata: { name: "a", resourceVersion: "9" },
      data: { v: "1" },
    });
    expect(deleted.json()).to.equal(json);
    const put = new ObjectChange("put", "/a", last, undefined, 7);
    expect(put.sent).to.equal(last);
  });
});
