import { expect } from "chai";
import { etcdMethods } from "../../../../controller/storage/etcd-proto.js";

// Bytes written out by hand from etcd's field numbers: a wrong number in proto/etcd fails here.
const hex = (b: Buffer) => b.toString("hex");

describe("controller/storage etcd proto", () => {
  it("names etcd's RPC paths", () => {
    const m = etcdMethods();
    expect([m.range.path, m.txn.path, m.watch.path, m.status.path]).to.deep.equal([
      "/etcdserverpb.KV/Range",
      "/etcdserverpb.KV/Txn",
      "/etcdserverpb.Watch/Watch",
      "/etcdserverpb.Maintenance/Status",
    ]);
  });

  it("encodes a RangeRequest with etcd's field numbers", () => {
    const bytes = etcdMethods().range.serialize({
      key: Buffer.from("a"),
      range_end: Buffer.from("b"),
      limit: 5,
      revision: 7,
      count_only: true,
    });
    // key=1, range_end=2, limit=3, revision=4, count_only=9
    expect(hex(bytes)).to.equal("0a0161" + "120162" + "1805" + "2007" + "4801");
  });

  it("sends a create-revision-0 compare (a oneof member, sent although 0)", () => {
    const bytes = etcdMethods().txn.serialize({
      compare: [{ key: Buffer.from("a"), target: "CREATE", result: "EQUAL", create_revision: 0 }],
      success: [],
      failure: [],
    });
    // compare=1 { result=1: EQUAL(0), target=2: CREATE(1), key=3, create_revision=5: 0 }
    expect(hex(bytes)).to.equal("0a09" + "0800" + "1001" + "1a0161" + "2800");
  });

  it("encodes a watch create request with start revision, progress and prev_kv", () => {
    const bytes = etcdMethods().watch.serialize({
      create_request: {
        key: Buffer.from("a"),
        range_end: Buffer.from("b"),
        start_revision: 5,
        progress_notify: true,
        prev_kv: true,
      },
    });
    // create_request=1 { key=1, range_end=2, start_revision=3, progress_notify=4, prev_kv=6 }
    expect(hex(bytes)).to.equal("0a0c" + "0a0161" + "120162" + "1805" + "2001" + "3001");
  });

  it("decodes a watch response's compaction and events", () => {
    // header=1 {revision=3: 9}, watch_id=2: 3, canceled=4, compact_revision=5: 5,
    // cancel_reason=6: "x", events=11 { type=1: DELETE, kv=2 { key=1: "a", mod_revision=3: 4 } }
    const response = etcdMethods().watch.deserialize(
      Buffer.from(
        "0a021809" +
          "1003" +
          "2001" +
          "2805" +
          "320178" +
          "5a09" +
          "0801" +
          "1205" +
          "0a0161" +
          "1804",
        "hex",
      ),
    );
    expect(response.header.revision).to.equal("9");
    expect(response).to.include({
      watch_id: "3",
      canceled: true,
      compact_revision: "5",
      cancel_reason: "x",
      created: false,
    });
    expect(response.events).to.have.length(1);
    expect(response.events[0].type).to.equal("DELETE");
    expect(response.events[0].kv.key.toString()).to.equal("a");
    expect(response.events[0].kv.mod_revision).to.equal("4");
    expect(response.events[0].prev_kv).to.equal(null);
  });

  it("decodes a status response's leader and alarms", () => {
    // leader=4: 7, errors=8: "abc"
    const status = etcdMethods().status.deserialize(Buffer.from("2007" + "4203616263", "hex"));
    expect(status.leader).to.equal("7");
    expect(status.errors).to.deep.equal(["abc"]);
  });
});
