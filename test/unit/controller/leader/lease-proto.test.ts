import { expect } from "chai";
import { campaignTxn } from "../../../../controller/leader/campaign.js";
import { etcdMethods } from "../../../../controller/storage/etcd-proto.js";

// Bytes written out by hand from etcd's field numbers: a wrong number in proto/etcd fails here.
const hex = (b: Buffer) => b.toString("hex");
// 2^62 + 3: exact only as a string.
const bigId = "4611686018427387907";
const bigIdVarint = "838080808080808040";

describe("controller/leader etcd lease proto", () => {
  it("names etcd's Lease RPC paths", () => {
    const m = etcdMethods();
    expect([
      m.leaseGrant.path,
      m.leaseRevoke.path,
      m.leaseKeepAlive.path,
      m.leaseTimeToLive.path,
    ]).to.deep.equal([
      "/etcdserverpb.Lease/LeaseGrant",
      "/etcdserverpb.Lease/LeaseRevoke",
      "/etcdserverpb.Lease/LeaseKeepAlive",
      "/etcdserverpb.Lease/LeaseTimeToLive",
    ]);
  });

  it("encodes a grant's TTL (1) and a lease ID (ID=1) exactly, beyond 2^53", () => {
    expect(hex(etcdMethods().leaseGrant.serialize({ TTL: 15 }))).to.equal("080f");
    expect(hex(etcdMethods().leaseKeepAlive.serialize({ ID: bigId }))).to.equal("08" + bigIdVarint);
    expect(hex(etcdMethods().leaseRevoke.serialize({ ID: bigId }))).to.equal("08" + bigIdVarint);
    // ID=1, keys=2
    expect(hex(etcdMethods().leaseTimeToLive.serialize({ ID: "5", keys: true }))).to.equal(
      "0805" + "1001",
    );
  });

  it("decodes grant, keep-alive and time-to-live answers with IDs as exact strings", () => {
    // header=1 {revision=3: 2}, ID=2, TTL=3: 15, error=4: "e"
    const grant = etcdMethods().leaseGrant.deserialize(
      Buffer.from("0a021802" + "10" + bigIdVarint + "180f" + "220165", "hex"),
    );
    expect(grant).to.include({ ID: bigId, TTL: "15", error: "e" });
    // ID=2, TTL=3: 0
    const keepAlive = etcdMethods().leaseKeepAlive.deserialize(
      Buffer.from("10" + bigIdVarint + "1800", "hex"),
    );
    expect(keepAlive).to.include({ ID: bigId, TTL: "0" });
    // ID=2: 5, TTL=3: -1 (ten-byte varint), grantedTTL=4: 3, keys=5: "k"
    const ttl = etcdMethods().leaseTimeToLive.deserialize(
      Buffer.from("1005" + "18ffffffffffffffffff01" + "2003" + "2a016b", "hex"),
    );
    expect(ttl).to.include({ ID: "5", TTL: "-1", grantedTTL: "3" });
    expect(ttl.keys.map((k) => k.toString())).to.deep.equal(["k"]);
  });

  it("puts the leader key on the lease (PutRequest lease=3)", () => {
    const bytes = etcdMethods().txn.serialize(campaignTxn("a", "b", "5"));
    // compare=1 {...}, success=2 { request_put=2 { key=1 "a", value=2 "b", lease=3: 5 } },
    // failure=3 { request_range=1 { key=1 "a" } }
    expect(hex(bytes)).to.equal(
      "0a09080010011a01612800" +
        "120a" +
        "1208" +
        "0a0161" +
        "120162" +
        "1805" +
        "1a05" +
        "0a03" +
        "0a0161",
    );
  });
});
