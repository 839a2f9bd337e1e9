import { expect } from "chai";
import type { KeyValue, WatchResponse } from "../../../../controller/storage/etcd-messages.js";
import { interpretWatchResponse } from "../../../../controller/storage/watch-response.js";

function kv(key: string, mod: number, value: object = { k: key }): KeyValue {
  return {
    key: Buffer.from(key),
    value: Buffer.from(JSON.stringify(value)),
    mod_revision: String(mod),
    create_revision: "2",
    version: "1",
    lease: "0",
  };
}

function response(fields: Partial<WatchResponse>): WatchResponse {
  return {
    header: { cluster_id: "1", member_id: "1", revision: "50", raft_term: "2" },
    watch_id: "0",
    created: false,
    canceled: false,
    compact_revision: "0",
    cancel_reason: "",
    fragment: false,
    events: [],
    ...fields,
  };
}

describe("controller/storage watch responses", () => {
  it("turns puts and deletes into store events with previous values", () => {
    const step = interpretWatchResponse(
      response({
        events: [
          { type: "PUT", kv: kv("/a", 11, { v: 2 }), prev_kv: kv("/a", 10, { v: 1 }) },
          { type: "PUT", kv: kv("/b", 12), prev_kv: null },
          {
            type: "DELETE",
            kv: { ...kv("/a", 13), value: Buffer.alloc(0) },
            prev_kv: kv("/a", 11, { v: 2 }),
          },
        ],
      }),
      10,
    );
    expect(step).to.deep.equal({
      kind: "events",
      upTo: 13,
      events: [
        {
          type: "put",
          object: { key: "/a", value: { v: 2 }, modRevision: 11, createRevision: 2 },
          previous: { key: "/a", value: { v: 1 }, modRevision: 10, createRevision: 2 },
        },
        {
          type: "put",
          object: { key: "/b", value: { k: "/b" }, modRevision: 12, createRevision: 2 },
        },
        {
          type: "delete",
          previous: { key: "/a", value: { v: 2 }, modRevision: 11, createRevision: 2 },
          revision: 13,
        },
      ],
    });
  });

  it("drops events already delivered (a resumed stream repeating a revision)", () => {
    const step = interpretWatchResponse(
      response({
        events: [
          { type: "PUT", kv: kv("/a", 20), prev_kv: null },
          { type: "PUT", kv: kv("/b", 21), prev_kv: null },
          { type: "PUT", kv: kv("/c", 22), prev_kv: null },
        ],
      }),
      21,
    );
    expect(step.kind).to.equal("events");
    if (step.kind !== "events") return;
    expect(step.events.map((e) => (e.type === "put" ? e.object.key : ""))).to.deep.equal(["/c"]);
    expect(step.upTo).to.equal(22);
  });

  it("keeps every event of one revision (a transaction touching several keys)", () => {
    const step = interpretWatchResponse(
      response({
        events: [
          { type: "PUT", kv: kv("/a", 30), prev_kv: null },
          { type: "PUT", kv: kv("/b", 30), prev_kv: null },
        ],
      }),
      29,
    );
    expect(step.kind === "events" && step.events.length).to.equal(2);
  });

  it("reads compaction, cancellation, creation and progress", () => {
    expect(
      interpretWatchResponse(response({ canceled: true, compact_revision: "40" }), 5),
    ).to.deep.equal({ kind: "compacted", compacted: 40 });
    expect(
      interpretWatchResponse(response({ canceled: true, cancel_reason: "no" }), 5),
    ).to.deep.equal({ kind: "canceled", reason: "no" });
    expect(interpretWatchResponse(response({ created: true }), 5)).to.deep.equal({
      kind: "created",
    });
    expect(interpretWatchResponse(response({}), 5)).to.deep.equal({
      kind: "progress",
      revision: 50,
    });
  });

  it("reports a delete that lacks its previous value, naming the key", () => {
    expect(() =>
      interpretWatchResponse(
        response({ events: [{ type: "DELETE", kv: kv("/gone", 9), prev_kv: null }] }),
        1,
      ),
    ).to.throw(/delete of \/gone without its last value/);
  });

  it("decodes a put's previous value only when it is read", () => {
    const bad = { ...kv("/a", 8), value: Buffer.from("not json") };
    const step = interpretWatchResponse(
      response({ events: [{ type: "PUT", kv: kv("/a", 9, { v: 2 }), prev_kv: bad }] }),
      1,
    );
    if (step.kind !== "events") throw new Error(`expected events, got ${step.kind}`);
    const [event] = step.events;
    if (event.type !== "put") throw new Error("expected a put");
    expect(event.object.value).to.deep.equal({ v: 2 });
    expect(() => event.previous).to.throw(/etcd value at \/a is not JSON/);
  });

  it("reports a value that is not JSON, naming the key", () => {
    const bad = { ...kv("/bad", 9), value: Buffer.from("not json") };
    expect(() =>
      interpretWatchResponse(response({ events: [{ type: "PUT", kv: bad, prev_kv: null }] }), 1),
    ).to.throw(/etcd value at \/bad is not JSON/);
  });
});
