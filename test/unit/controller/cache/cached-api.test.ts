import { expect } from "chai";
import http from "node:http";
import { startCachedApi, type CachedApi } from "./cached-api.js";

interface WatchEvent {
  type: string;
  object: {
    metadata: { name?: string; resourceVersion?: string; annotations?: Record<string, string> };
    data?: Record<string, string>;
    code?: number;
    reason?: string;
  };
}

interface WatchStream {
  events: WatchEvent[];
  next(count: number): Promise<WatchEvent[]>;
  ended: Promise<void>;
  close(): void;
}

function watch(api: CachedApi, path: string): Promise<WatchStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${api.url}${path}`, (res) => {
      const stream: WatchStream = {
        events: [],
        next: async (count) => {
          const deadline = Date.now() + 3000;
          while (stream.events.length < count && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 5));
          }
          return stream.events.slice(0, count);
        },
        ended: new Promise((r) => res.on("end", () => r())),
        close: () => req.destroy(),
      };
      let buffer = "";
      res.on("data", (b: Buffer) => {
        buffer += b;
        let nl;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          stream.events.push(JSON.parse(buffer.slice(0, nl)));
          buffer = buffer.slice(nl + 1);
        }
      });
      expect(res.statusCode).to.equal(200);
      resolve(stream);
    });
    req.on("error", reject);
  });
}

const cms = "/api/v1/namespaces/default/configmaps";
const cm = (name: string, labels: Record<string, string> = {}, v = name) => ({
  metadata: { name, labels },
  data: { k: v },
});
const itemNames = (list: { items: { metadata: { name: string } }[] }) =>
  list.items.map((o) => o.metadata.name);
const names = (events: WatchEvent[]) => events.map((e) => `${e.type} ${e.object.metadata.name}`);

describe("controller API served from watch caches", () => {
  let api: CachedApi;
  beforeEach(async () => {
    api = await startCachedApi(8);
    expect(
      (await api.request("POST", "/api/v1/namespaces", { metadata: { name: "default" } })).status,
    ).to.equal(201);
    await api.settled();
  });
  afterEach(async () => api.close());

  it("watches from resourceVersion=0 with the cache's objects, then every change, with no store read", async () => {
    await api.request("POST", cms, cm("one"));
    api.store.reset();
    const w = await watch(api, `${cms}?watch=true&resourceVersion=0`);
    await api.request("POST", cms, cm("two"));
    await api.request("PATCH", `${cms}/two`, { data: { k: "2" } }, "application/merge-patch+json");
    const deleted = await api.request("DELETE", `${cms}/one`);
    const events = await w.next(4);
    w.close();
    expect(names(events)).to.deep.equal(["ADDED one", "ADDED two", "MODIFIED two", "DELETED one"]);
    expect(events[2].object.data).to.deep.equal({ k: "2" });
    expect(Number(events[3].object.metadata.resourceVersion)).to.be.greaterThan(
      Number(deleted.body.metadata.resourceVersion),
    );
    expect(api.store.calls).to.include({ list: 0, watch: 0 });
  });

  it("resumes a watch from a resourceVersion the ring still holds", async () => {
    const first = await api.request("POST", cms, cm("old"));
    await api.request("POST", cms, cm("new"));
    api.store.reset();
    const w = await watch(
      api,
      `${cms}?watch=1&resourceVersion=${first.body.metadata.resourceVersion}`,
    );
    const events = await w.next(1);
    await new Promise((r) => setTimeout(r, 20));
    w.close();
    expect(names(w.events)).to.deep.equal(["ADDED new"]);
    expect(events).to.have.length(1);
    expect(api.store.calls.watch).to.equal(0);
  });

  it("serves a resourceVersion older than the ring from an etcd watch of its own", async () => {
    const first = await api.request("POST", cms, cm("first"));
    for (let i = 0; i < 10; i++) await api.request("POST", cms, cm(`filler-${i}`));
    api.store.reset();
    const w = await watch(
      api,
      `${cms}?watch=1&resourceVersion=${first.body.metadata.resourceVersion}`,
    );
    const events = await w.next(10);
    w.close();
    expect(names(events)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `ADDED filler-${i}`));
    expect(api.store.calls.watch).to.equal(1);
  });

  it("answers 410 Expired for a resourceVersion older than the ring and compacted in the store", async () => {
    const first = await api.request("POST", cms, cm("a"));
    for (let i = 0; i < 10; i++) await api.request("POST", cms, cm(`filler-${i}`));
    api.store.compact();
    const w = await watch(
      api,
      `${cms}?watch=true&resourceVersion=${first.body.metadata.resourceVersion}`,
    );
    await w.ended;
    expect(w.events).to.have.length(1);
    expect(w.events[0].type).to.equal("ERROR");
    expect(w.events[0].object).to.include({ code: 410, reason: "Expired" });
  });

  it("turns objects leaving and entering the selector into DELETED and ADDED", async () => {
    await api.request("POST", cms, cm("x", { tier: "a" }));
    const w = await watch(api, `${cms}?watch=true&labelSelector=tier%3Da`);
    const label = (value: string) =>
      api.request(
        "PATCH",
        `${cms}/x`,
        { metadata: { labels: { tier: value } } },
        "application/merge-patch+json",
      );
    await label("b");
    await label("a");
    const events = await w.next(3);
    w.close();
    expect(events.map((e) => e.type)).to.deep.equal(["ADDED", "DELETED", "ADDED"]);
  });

  it("sends one namespace's changes only to that namespace's watches", async () => {
    await api.request("POST", "/api/v1/namespaces", { metadata: { name: "other" } });
    const here = await watch(api, `${cms}?watch=true&resourceVersion=0`);
    const all = await watch(api, "/api/v1/configmaps?watch=true&resourceVersion=0");
    await api.request("POST", "/api/v1/namespaces/other/configmaps", cm("there"));
    await api.request("POST", cms, cm("here"));
    await all.next(2);
    await here.next(1);
    here.close();
    all.close();
    expect(names(here.events)).to.deep.equal(["ADDED here"]);
    expect(names(all.events)).to.deep.equal(["ADDED there", "ADDED here"]);
  });

  it("ends initial events with an annotated BOOKMARK for sendInitialEvents from the cache", async () => {
    await api.request("POST", cms, cm("a"));
    api.store.reset();
    const w = await watch(
      api,
      `${cms}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&resourceVersion=0&allowWatchBookmarks=true`,
    );
    const events = await w.next(2);
    w.close();
    expect(names(events)).to.deep.equal(["ADDED a", "BOOKMARK undefined"]);
    expect(events[1].object.metadata.annotations).to.deep.equal({
      "k8s.io/initial-events-end": "true",
    });
    expect(api.store.calls.list).to.equal(0);
  });

  it("lists from the cache for resourceVersion=0 and NotOlderThan, from the store otherwise", async () => {
    for (const n of ["c", "a", "b"]) await api.request("POST", cms, cm(n));
    api.store.reset();
    const any = await api.request("GET", `${cms}?resourceVersion=0`);
    expect(
      any.body.items.map((o: { metadata: { name: string } }) => o.metadata.name),
    ).to.deep.equal(["a", "b", "c"]);
    const rv = any.body.metadata.resourceVersion;
    await api.request("GET", `${cms}?resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`);
    expect(api.store.calls.list).to.equal(0);
    await api.request("GET", cms);
    await api.request("GET", `${cms}?resourceVersion=${rv}&resourceVersionMatch=Exact`);
    expect(api.store.calls.list).to.equal(2);
    // Newer than the cache has seen: a consistent read is never older.
    const ahead = await api.request(
      "GET",
      `${cms}?resourceVersion=${Number(rv) + 100}&resourceVersionMatch=NotOlderThan`,
    );
    expect(ahead.status).to.equal(200);
    expect(api.store.calls.list).to.equal(3);
  });

  it("pages a cached list, continuing at its revision from the store", async () => {
    for (const n of ["a", "b", "c", "d", "e"]) await api.request("POST", cms, cm(n));
    api.store.reset();
    const first = await api.request("GET", `${cms}?resourceVersion=0&limit=2`);
    expect(itemNames(first.body)).to.deep.equal(["a", "b"]);
    expect(api.store.calls.list).to.equal(0);
    const rv = first.body.metadata.resourceVersion;
    const token = encodeURIComponent(first.body.metadata.continue);
    const second = await api.request("GET", `${cms}?limit=2&continue=${token}`);
    expect(second.body.metadata.resourceVersion).to.equal(rv);
    expect(itemNames(second.body)).to.deep.equal(["c", "d"]);
    expect(api.store.calls.list).to.equal(1);
    const last = encodeURIComponent(second.body.metadata.continue);
    const third = await api.request("GET", `${cms}?limit=2&continue=${last}`);
    expect(itemNames(third.body)).to.deep.equal(["e"]);
    expect(third.body.metadata.continue).to.equal(undefined);
  });

  it("admits into a namespace known to the cache without reading the store", async () => {
    api.store.reset();
    expect((await api.request("POST", cms, cm("x"))).status).to.equal(201);
    expect(api.store.calls.get).to.equal(0);
    const missing = await api.request("POST", "/api/v1/namespaces/nowhere/configmaps", cm("y"));
    expect(missing.status).to.equal(404);
    expect(api.store.calls.get).to.equal(1);
  });

  it("refuses new objects in a namespace being deleted", async () => {
    await api.request("POST", "/api/v1/namespaces", {
      metadata: { name: "doomed", finalizers: ["example.com/hold"] },
    });
    await api.request("DELETE", "/api/v1/namespaces/doomed");
    const refused = await api.request("POST", "/api/v1/namespaces/doomed/configmaps", cm("late"));
    expect(refused.status).to.equal(403);
    expect(refused.body.message).to.match(/being terminated/);
  });

  it("serves GET resourceVersion=0 from the cache and plain GET from the store", async () => {
    await api.request("POST", cms, cm("g"));
    api.store.reset();
    expect((await api.request("GET", `${cms}/g?resourceVersion=0`)).body.data).to.deep.equal({
      k: "g",
    });
    expect((await api.request("GET", `${cms}/nothing?resourceVersion=0`)).status).to.equal(404);
    expect(api.store.calls.get).to.equal(0);
    expect((await api.request("GET", `${cms}/g`)).status).to.equal(200);
    expect(api.store.calls.get).to.equal(1);
  });

  it("encodes each change's JSON once however many watches send it", async () => {
    const watches = await Promise.all(
      [0, 1, 2].map(() => watch(api, `${cms}?watch=true&resourceVersion=0`)),
    );
    const encodingsOf = async (v: string, open: WatchStream[]) => {
      const realStringify = JSON.stringify;
      let count = 0;
      JSON.stringify = ((value: unknown, ...rest: []) => {
        if ((value as { data?: { k?: string } })?.data?.k === v) count++;
        return realStringify(value, ...rest);
      }) as typeof JSON.stringify;
      try {
        await api.request("POST", cms, cm(v));
        await Promise.all(open.map((w) => w.next(open === watches ? 1 : 2)));
      } finally {
        JSON.stringify = realStringify;
      }
      return count;
    };
    const withThree = await encodingsOf("three", watches);
    watches[1].close();
    watches[2].close();
    await new Promise((r) => setTimeout(r, 20));
    const withOne = await encodingsOf("one", [watches[0]]);
    watches[0].close();
    expect(names(watches[0].events)).to.deep.equal(["ADDED three", "ADDED one"]);
    expect(names(watches[1].events)).to.deep.equal(["ADDED three"]);
    expect(withThree).to.equal(withOne);
  });
});
