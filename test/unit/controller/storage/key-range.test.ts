import { expect } from "chai";
import {
  checkKey,
  keyAfter,
  keyBytes,
  prefixRangeEnd,
} from "../../../../controller/storage/key-range.js";

describe("controller/storage key ranges", () => {
  it("ends a prefix's range at the prefix with its last byte incremented", () => {
    expect(prefixRangeEnd("/registry/pods/").toString()).to.equal("/registry/pods0");
    expect(prefixRangeEnd("a/b").toString()).to.equal("a/c");
  });

  it("increments the last UTF-8 byte of a multi-byte character", () => {
    // "é" is c3 a9: every key starting with it sorts below c3 aa.
    expect(prefixRangeEnd("é")).to.deep.equal(Buffer.from([0xc3, 0xaa]));
  });

  it("has no upper bound (\\0) for the empty prefix", () => {
    expect(prefixRangeEnd("")).to.deep.equal(Buffer.from([0]));
  });

  it("covers exactly the keys with the prefix", () => {
    const prefix = "/registry/pods/default/";
    const end = prefixRangeEnd(prefix);
    const inRange = (key: string) =>
      Buffer.compare(Buffer.from(key), Buffer.from(prefix)) >= 0 &&
      Buffer.compare(Buffer.from(key), end) < 0;
    expect(inRange("/registry/pods/default/web")).to.equal(true);
    expect(inRange("/registry/pods/default/\uffff")).to.equal(true);
    expect(inRange("/registry/pods/default0")).to.equal(false);
    expect(inRange("/registry/pods/defaulu")).to.equal(false);
    expect(inRange("/registry/pods/default")).to.equal(false);
  });

  it("maps the empty key to etcd's lowest key \\0 and others to UTF-8", () => {
    expect(keyBytes("")).to.deep.equal(Buffer.from([0]));
    expect(keyBytes("/a/é")).to.deep.equal(Buffer.from("/a/é", "utf8"));
  });

  it("continues after a key with the smallest key above it", () => {
    const next = keyAfter("/a/b");
    expect(Buffer.compare(Buffer.from(next), Buffer.from("/a/b"))).to.equal(1);
    expect(Buffer.compare(Buffer.from(next), Buffer.from("/a/b\u0001"))).to.equal(-1);
  });

  it("rejects an empty or non-string key naming the field", () => {
    expect(() => checkKey("")).to.throw(/key must be a non-empty string/);
    expect(() => checkKey(undefined, "startKey")).to.throw(/startKey must be/);
    try {
      checkKey(42);
      expect.fail("accepted a number");
    } catch (err) {
      expect(err).to.have.property("field", "key");
      expect(err).to.have.property("kind", "InvalidArgument");
    }
  });
});
