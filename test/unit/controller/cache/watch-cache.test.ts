import { expect } from "chai";
import { silentLogger } from "../../../../lib/logger.js";
import type { ObjectChange } from "../../../../controller/api/cache/object-change.js";
import { WatchCache, type CacheSubscriber } from "../../../../controller/api/cache/watch-cache.js";
import { findResource } from "../../../../controller/resources/registry.js";
import { CountingStore } from "./counting-store.js";

const configMaps = findResource("", "v1", "configmaps")!;
const prefix = "/registry/configmaps/";
const cm = (namespace: string, name: string, v = "1") => ({
  metadata: { name, namespace },
  data: { v },
});
const tick = () => new Promise((r) => setImmediate(r));

function recorder() {
  const seen: string[] = [];
  const ends: (Error | undefined)[] = [];
  const subscriber: CacheSubscriber = {
    change: (c: ObjectChange) =>
      seen.push(`${c.type} ${c.object.metadata?.name} ${c.revision} ${c.previous ? "had" : "new"}`),
    progress: (r) => seen.push(`progress ${r}`),
    end: (err) => ends.push(err),
  };
  return { seen, ends, subscriber };
}

async function started(store: CountingStore, capacity = 100): Promise<WatchCache> {
  const cache = new WatchCache({
    store,
    rt: configMaps,
    prefix,
    logger: silentLogger(),
    capacity,
    relistDelayMs: 5,
  });
  cache.start();
  expect(await cache.whenReady(2000)).to.equal(true);
  await tick();
  return cache;
}

describe("controller/api/cache watch cache", () => {
  let cache: WatchCache | undefined;
  afterEach(() => cache?.stop());

  it("lists, then follows every change with one store watch, in API form", async () => {
    const store = new CountingStore();
    const a = await store.create(`${prefix}ns1/a`, cm("ns1", "a"));
    cache = await started(store);
    expect(store.calls).to.include({ list: 1, watch: 1 });
    expect(cache.revision).to.equal(a.modRevision);
    const b = await store.create(`${prefix}ns2/b`, cm("ns2", "b"));
    await store.update(`${prefix}ns1/a`, cm("ns1", "a", "2"), a.modRevision);
    await store.delete(`${prefix}ns2/b`);
    const entry = cache.get(`${prefix}ns1/a`)!;
    expect(entry.object).to.deep.include({ apiVersion: "v1", kind: "ConfigMap", data: { v: "2" } });
    expect(entry.object.metadata?.resourceVersion).to.equal(String(entry.modRevision));
    expect(cache.get(`${prefix}ns2/b`)).to.equal(undefined);
    expect(cache.revision).to.equal(b.modRevision + 2);
    expect(store.calls).to.include({ list: 1, watch: 1, get: 0 });
  });

  it("lists in key order under a prefix, from a start key", async () => {
    const store = new CountingStore();
    for (const [ns, name] of [
      ["b", "2"],
      ["a", "9"],
      ["b", "1"],
      ["c", "1"],
    ]) {
      await store.create(`${prefix}${ns}/${name}`, cm(ns, name));
    }
    cache = await started(store);
    await store.create(`${prefix}b/0`, cm("b", "0"));
    const keys = (p: string, start?: string) => [...cache!.entries(p, start)].map((e) => e.key);
    expect(keys(prefix)).to.deep.equal([
      `${prefix}a/9`,
      `${prefix}b/0`,
      `${prefix}b/1`,
      `${prefix}b/2`,
      `${prefix}c/1`,
    ]);
    expect(keys(`${prefix}b/`)).to.deep.equal([`${prefix}b/0`, `${prefix}b/1`, `${prefix}b/2`]);
    expect(keys(`${prefix}b/`, `${prefix}b/1\x00`)).to.deep.equal([`${prefix}b/2`]);
    expect(keys(`${prefix}zz/`)).to.deep.equal([]);
  });

  it("serves a subscription from the ring, then live, under its prefix and after its revision", async () => {
    const store = new CountingStore();
    cache = await started(store);
    const first = await store.create(`${prefix}ns1/a`, cm("ns1", "a"));
    await store.create(`${prefix}ns2/x`, cm("ns2", "x"));
    const second = await store.update(`${prefix}ns1/a`, cm("ns1", "a", "2"), first.modRevision);
    const r = recorder();
    const sub = cache.subscribe(`${prefix}ns1/`, first.modRevision - 1, r.subscriber)!;
    expect(r.seen).to.deep.equal([
      `put a ${first.modRevision} new`,
      `put a ${second.modRevision} had`,
    ]);
    const gone = await store.delete(`${prefix}ns1/a`);
    await store.create(`${prefix}ns2/y`, cm("ns2", "y"));
    expect(r.seen.slice(2)).to.deep.equal([`delete a ${gone.modRevision + 1} new`]);
    sub.close();
    await store.create(`${prefix}ns1/later`, cm("ns1", "later"));
    expect(r.seen).to.have.length(3);
  });

  it("skips changes up to a revision the cache has not reached yet, as an etcd watch from it would", async () => {
    const store = new CountingStore();
    cache = await started(store);
    const ahead = cache.revision + 2;
    const r = recorder();
    expect(cache.subscribe(prefix, ahead, r.subscriber)).to.not.equal(undefined);
    await store.create(`${prefix}ns/one`, cm("ns", "one"));
    await store.create(`${prefix}ns/two`, cm("ns", "two"));
    await store.create(`${prefix}ns/three`, cm("ns", "three"));
    expect(r.seen).to.deep.equal([`put three ${ahead + 1} new`]);
  });

  it("cannot serve a revision older than the ring keeps", async () => {
    const store = new CountingStore();
    cache = await started(store, 2);
    const start = cache.revision;
    for (const name of ["a", "b", "c", "d"])
      await store.create(`${prefix}ns/${name}`, cm("ns", name));
    expect(cache.oldestResumable).to.equal(start + 2);
    expect(cache.subscribe(prefix, start + 1, recorder().subscriber)).to.equal(undefined);
    const r = recorder();
    expect(cache.subscribe(prefix, start + 2, r.subscriber)).to.not.equal(undefined);
    expect(r.seen).to.deep.equal([`put c ${start + 3} new`, `put d ${start + 4} new`]);
  });

  it("passes progress on to subscriptions behind it", async () => {
    const store = new CountingStore();
    cache = await started(store);
    const r = recorder();
    cache.subscribe(prefix, cache.revision, r.subscriber);
    const late = recorder();
    cache.subscribe(prefix, cache.revision + 10, late.subscriber);
    store.watchHandlers.at(-1)!.onProgress!(cache.revision + 5);
    expect(r.seen).to.deep.equal([`progress ${cache.revision}`]);
    expect(late.seen).to.deep.equal([]);
  });

  it("ends a subscriber whose handler throws, and no other", async () => {
    const store = new CountingStore();
    cache = await started(store);
    const failing: CacheSubscriber = {
      change: () => {
        throw new Error("socket gone");
      },
      progress: () => undefined,
      end: (err) => ends.push(err?.message),
    };
    const ends: (string | undefined)[] = [];
    cache.subscribe(prefix, cache.revision, failing);
    const r = recorder();
    cache.subscribe(prefix, cache.revision, r.subscriber);
    await store.create(`${prefix}ns/a`, cm("ns", "a"));
    await store.create(`${prefix}ns/b`, cm("ns", "b"));
    expect(ends).to.deep.equal(["socket gone"]);
    expect(r.seen).to.have.length(2);
  });

  it("lists again when its store watch ends, ending subscriptions without an error", async () => {
    const store = new CountingStore();
    await store.create(`${prefix}ns/kept`, cm("ns", "kept"));
    cache = await started(store);
    const r = recorder();
    cache.subscribe(prefix, cache.revision, r.subscriber);
    store.watchHandlers.at(-1)!.onError(new Error("etcd unreachable for 30 s"));
    expect(cache.ready).to.equal(false);
    expect(cache.get(`${prefix}ns/kept`)).to.equal(undefined);
    expect(r.ends).to.deep.equal([undefined]);
    await store.create(`${prefix}ns/meanwhile`, cm("ns", "meanwhile"));
    expect(await cache.whenReady(2000)).to.equal(true);
    expect([...cache.entries(prefix)].map((e) => e.object.metadata?.name)).to.deep.equal([
      "kept",
      "meanwhile",
    ]);
    expect(cache.oldestResumable).to.equal(await store.revision());
    expect(store.calls).to.include({ list: 2, watch: 2 });
  });

  it("keeps trying to list while the store fails, ready once it answers", async () => {
    const store = new CountingStore();
    let failures = 2;
    const realList = store.list.bind(store);
    store.list = async (p, o) => {
      if (failures-- > 0) throw new Error("etcd down");
      return realList(p, o);
    };
    cache = new WatchCache({
      store,
      rt: configMaps,
      prefix,
      logger: silentLogger(),
      capacity: 10,
      relistDelayMs: 5,
    });
    cache.start();
    expect(cache.ready).to.equal(false);
    expect(await cache.whenReady(2000)).to.equal(true);
    expect(failures).to.equal(-1);
  });

  it("is not ready and serves nothing once stopped", async () => {
    const store = new CountingStore();
    await store.create(`${prefix}ns/a`, cm("ns", "a"));
    cache = await started(store);
    cache.stop();
    expect(cache.ready).to.equal(false);
    expect(cache.get(`${prefix}ns/a`)).to.equal(undefined);
    expect([...cache.entries(prefix)]).to.deep.equal([]);
    expect(cache.subscribe(prefix, 0, recorder().subscriber)).to.equal(undefined);
    expect(await cache.whenReady(10)).to.equal(false);
  });
});
