import { expect } from "chai";
import type { KeyValue } from "../../../../controller/storage/etcd-messages.js";
import {
  decodeKeyValue,
  decodeValue,
  encodeValue,
} from "../../../../controller/storage/stored-value.js";

const pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", resourceVersion: "41", labels: { app: "web" }, uid: "u-1" },
  spec: { containers: [{ name: "c", image: "busybox", args: ["a", "é", ""] }], x: null, n: 1.5 },
};

function kv(key: string, value: Buffer, mod = "7", create = "3"): KeyValue {
  return {
    key: Buffer.from(key),
    value,
    mod_revision: mod,
    create_revision: create,
    version: "1",
    lease: "0",
  };
}

describe("controller/storage stored values", () => {
  it("stores JSON without metadata.resourceVersion, keeping every other field in order", () => {
    const stored = JSON.parse(encodeValue(pod).toString("utf8"));
    expect(stored.metadata).to.not.have.property("resourceVersion");
    const metadata: Record<string, unknown> = { ...pod.metadata };
    delete metadata.resourceVersion;
    expect(stored).to.deep.equal({ ...pod, metadata });
    expect(Object.keys(stored.metadata)).to.deep.equal(["name", "labels", "uid"]);
    expect(Object.keys(stored)).to.deep.equal(Object.keys(pod));
  });

  it("leaves the caller's object untouched", () => {
    const copy = structuredClone(pod);
    encodeValue(copy);
    expect(copy).to.deep.equal(pod);
  });

  it("round-trips a value exactly", () => {
    const value = {
      kind: "X",
      metadata: { name: "a" },
      data: { "k.e/y": "v\n\u0000\u{1f600}", big: 2 ** 52, list: [[], {}, false] },
    };
    expect(decodeValue("/k", encodeValue(value))).to.deep.equal(value);
  });

  it("reads revisions and the key from an etcd key-value", () => {
    const object = decodeKeyValue(kv("/registry/pods/default/web", encodeValue(pod)));
    expect(object.key).to.equal("/registry/pods/default/web");
    expect(object.modRevision).to.equal(7);
    expect(object.createRevision).to.equal(3);
    expect(object.value.metadata).to.not.have.property("resourceVersion");
  });

  it("rejects a value that is not a JSON object, naming the field", () => {
    for (const bad of [null, [], "pod", 3]) {
      expect(() => encodeValue(bad as never)).to.throw(/value must be a JSON object/);
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeValue(cyclic)).to.throw(/value cannot be stored as JSON/);
  });

  it("reports a stored value that is not a JSON object, naming the key", () => {
    expect(() => decodeValue("/registry/x", Buffer.from("{nope"))).to.throw(
      /etcd value at \/registry\/x is not JSON/,
    );
    expect(() => decodeValue("/registry/y", Buffer.from("[1]"))).to.throw(
      /etcd value at \/registry\/y is not a JSON object/,
    );
  });
});
