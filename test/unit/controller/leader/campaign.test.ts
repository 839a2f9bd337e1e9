import { expect } from "chai";
import {
  campaignTxn,
  observeTxn,
  readCampaign,
  readKeyWatch,
} from "../../../../controller/leader/campaign.js";
import type {
  KeyValue,
  TxnResponse,
  WatchResponse,
} from "../../../../controller/storage/etcd-messages.js";

const header = { cluster_id: "1", member_id: "1", revision: "42", raft_term: "1" };
// A lease ID above 2^53: it must survive as a string.
const lease = "7587862117372540163";

function kv(value: string, leaseId: string): KeyValue {
  return {
    key: Buffer.from("/k"),
    create_revision: "40",
    mod_revision: "40",
    version: "1",
    value: Buffer.from(value),
    lease: leaseId,
  };
}

function watchResponse(over: Partial<WatchResponse>): WatchResponse {
  return {
    header,
    watch_id: "0",
    created: false,
    canceled: false,
    compact_revision: "0",
    cancel_reason: "",
    fragment: false,
    events: [],
    ...over,
  };
}

describe("controller/leader campaign", () => {
  it("creates the key with our identity on our lease only where it does not exist", () => {
    const txn = campaignTxn("/k", "me", lease);
    expect(txn.compare).to.deep.equal([
      { key: Buffer.from("/k"), target: "CREATE", result: "EQUAL", create_revision: 0 },
    ]);
    expect(txn.success).to.deep.equal([
      { request_put: { key: Buffer.from("/k"), value: Buffer.from("me"), lease } },
    ]);
    expect(txn.failure).to.deep.equal([{ request_range: { key: Buffer.from("/k") } }]);
  });

  it("only reads the key while holding back", () => {
    const txn = observeTxn("/k");
    expect(txn.compare).to.deep.equal([]);
    expect(txn.success).to.deep.equal([{ request_range: { key: Buffer.from("/k") } }]);
  });

  it("reads a won campaign as ours, at the transaction's revision", () => {
    const response: TxnResponse = {
      header,
      succeeded: true,
      responses: [{ response: "response_put", response_put: { header, prev_kv: null } }],
    };
    expect(readCampaign(response, lease)).to.deep.equal({ held: "us", revision: 42 });
  });

  function lost(holder: KeyValue | undefined): TxnResponse {
    return {
      header,
      succeeded: false,
      responses: [
        {
          response: "response_range",
          response_range: { header, kvs: holder ? [holder] : [], more: false, count: "1" },
        },
      ],
    };
  }

  it("reads the key on our own lease as still ours (a retried campaign)", () => {
    expect(readCampaign(lost(kv("me", lease)), lease)).to.deep.equal({
      held: "us",
      holder: "me",
      revision: 42,
    });
  });

  it("reads another candidate's key as theirs, naming it", () => {
    expect(readCampaign(lost(kv("other", "7587862117372540164")), lease)).to.deep.equal({
      held: "other",
      holder: "other",
      revision: 42,
    });
  });

  it("reads a missing key as vacant", () => {
    expect(readCampaign(lost(undefined), lease)).to.deep.equal({ held: "nobody", revision: 42 });
  });

  it("refuses an answer without a result", () => {
    expect(() => readCampaign({ header, succeeded: false, responses: [] }, lease)).to.throw(
      /without a result/,
    );
  });

  it("reads watch responses on the key", () => {
    expect(readKeyWatch(watchResponse({ created: true }))).to.equal(undefined);
    expect(readKeyWatch(watchResponse({}))).to.equal(undefined);
    expect(
      readKeyWatch(watchResponse({ events: [{ type: "DELETE", kv: kv("", "0"), prev_kv: null }] })),
    ).to.deep.equal({ kind: "deleted" });
    expect(
      readKeyWatch(
        watchResponse({
          events: [
            { type: "DELETE", kv: kv("", "0"), prev_kv: null },
            { type: "PUT", kv: kv("other", "5"), prev_kv: null },
          ],
        }),
      ),
    ).to.deep.equal({ kind: "put", holder: "other", lease: "5" });
  });

  it("reads a canceled or compacted watch as broken", () => {
    expect(readKeyWatch(watchResponse({ canceled: true, cancel_reason: "x" }))).to.deep.equal({
      kind: "broken",
      reason: "etcd canceled the watch: x",
    });
    expect(readKeyWatch(watchResponse({ canceled: true, compact_revision: "9" }))).to.deep.include({
      kind: "broken",
    });
  });
});
