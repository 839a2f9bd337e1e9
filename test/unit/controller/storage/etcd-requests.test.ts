import { expect } from "chai";
import {
  createTxn,
  deleteTxn,
  listRange,
  updateTxn,
} from "../../../../controller/storage/etcd-requests.js";

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { field?: string }).field;
  }
  expect.fail("no error thrown");
}

describe("controller/storage etcd requests", () => {
  const value = Buffer.from("{}");

  it("creates only where the key does not exist (create revision 0)", () => {
    const txn = createTxn("/a", value);
    expect(txn.compare).to.deep.equal([
      { key: Buffer.from("/a"), target: "CREATE", result: "EQUAL", create_revision: 0 },
    ]);
    expect(txn.success).to.deep.equal([{ request_put: { key: Buffer.from("/a"), value } }]);
  });

  it("updates only at the expected mod revision, reading the key back otherwise", () => {
    const txn = updateTxn("/a", value, 17);
    expect(txn.compare[0]).to.include({ target: "MOD", result: "EQUAL", mod_revision: 17 });
    expect(txn.success[0]).to.have.nested.property("request_put.prev_kv", true);
    expect(txn.failure).to.deep.equal([{ request_range: { key: Buffer.from("/a") } }]);
  });

  it("deletes unconditionally without an expected revision, answering the old value", () => {
    expect(deleteTxn("/a").compare).to.deep.equal([]);
    expect(deleteTxn("/a").success[0]).to.have.nested.property(
      "request_delete_range.prev_kv",
      true,
    );
    expect(deleteTxn("/a", 9).compare[0]).to.include({ target: "MOD", mod_revision: 9 });
  });

  it("lists a prefix's range from the prefix or the continue key", () => {
    expect(listRange("/r/pods/", {})).to.deep.equal({
      key: Buffer.from("/r/pods/"),
      range_end: Buffer.from("/r/pods0"),
      limit: 0,
      revision: 0,
    });
    const page = listRange("/r/pods/", { startKey: "/r/pods/b\x00", limit: 2, revision: 40 });
    expect(page.key).to.deep.equal(Buffer.from("/r/pods/b\x00"));
    expect(page).to.include({ limit: 2, revision: 40 });
  });

  it("lists everything from etcd's lowest key for the empty prefix", () => {
    const range = listRange("", {});
    expect(range.key).to.deep.equal(Buffer.from([0]));
    expect(range.range_end).to.deep.equal(Buffer.from([0]));
  });

  it("rejects bad list options naming the field", () => {
    expect(fieldOf(() => listRange("/r/pods/", { startKey: "/r/nodes/a" }))).to.equal("startKey");
    expect(fieldOf(() => listRange("/r/pods/", { limit: -1 }))).to.equal("limit");
    expect(fieldOf(() => listRange("/r/pods/", { limit: 1.5 }))).to.equal("limit");
    expect(fieldOf(() => listRange("/r/pods/", { revision: 0 }))).to.equal("revision");
    expect(fieldOf(() => listRange(7 as never, {}))).to.equal("prefix");
  });
});
