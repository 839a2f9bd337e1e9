import { expect } from "chai";
import { silentLogger } from "../../../../lib/logger.js";
import { WatchCaches } from "../../../../controller/api/cache/watch-caches.js";
import { ObjectKeys } from "../../../../controller/api/object-keys.js";
import { ResourceStore } from "../../../../controller/api/objects/resource-store.js";
import { ApiError } from "../../../../controller/api/status.js";
import type { KubeObject } from "../../../../controller/resources/kube-object.js";
import { findResource } from "../../../../controller/resources/registry.js";
import { CountingStore } from "./counting-store.js";

const configMaps = findResource("", "v1", "configmaps")!;
const key = "/registry/configmaps/ns/a";
const withData = (v: string) => (o: KubeObject) => ({ ...o, data: { v } });

describe("controller/api/cache updates from the watch cache (GuaranteedUpdate's suggestion)", () => {
  let store: CountingStore;
  let caches: WatchCaches;
  let resources: ResourceStore;
  beforeEach(async () => {
    store = new CountingStore();
    const keys = new ObjectKeys();
    caches = new WatchCaches(store, keys, silentLogger(), { freezeObjects: true });
    caches.start([configMaps]);
    resources = new ResourceStore(store, keys, caches);
    await resources.create(configMaps, "ns", { metadata: { name: "a" }, data: { v: "0" } });
    expect(await caches.for(configMaps).whenReady(2000)).to.equal(true);
    await new Promise((r) => setImmediate(r));
    store.reset();
  });
  afterEach(() => caches.stop());

  it("writes with one compare-and-swap on the cached revision, no read", async () => {
    const result = await resources.update(configMaps, "ns", "a", withData("1"));
    expect(store.calls).to.include({ get: 0, update: 1 });
    expect(result.changed).to.equal(true);
    expect(result.object.data).to.deep.equal({ v: "1" });
    expect(result.object.metadata?.resourceVersion).to.equal(String(await store.revision()));
  });

  it("reads the store once when the cached object is stale, and writes on the current one", async () => {
    const current = (await store.get(key))!;
    // A write the cache has not seen: a second controller, or a watch lagging behind.
    const cache = caches.for(configMaps);
    const stale = cache.get(key)!;
    await store.update(key, { ...current.value, data: { v: "other" } }, current.modRevision);
    const realGet = cache.get.bind(cache);
    cache.get = (k) => (k === key ? stale : realGet(k));
    store.reset();
    const seen: string[] = [];
    const result = await resources.update(configMaps, "ns", "a", (o) => {
      seen.push((o.data as { v: string }).v);
      return { ...o, data: { v: `${(o.data as { v: string }).v}+1` } };
    });
    expect(seen).to.deep.equal(["0", "other"]);
    expect(store.calls).to.include({ get: 1, update: 2 });
    expect(result.object.data).to.deep.equal({ v: "other+1" });
  });

  it("retries from the store when the update refuses the cached object (a newer resourceVersion sent)", async () => {
    const cache = caches.for(configMaps);
    const stale = cache.get(key)!;
    const current = (await store.get(key))!;
    const written = await store.update(
      key,
      { ...current.value, data: { v: "2" } },
      current.modRevision,
    );
    cache.get = (k) => (k === key ? stale : undefined);
    store.reset();
    const result = await resources.update(configMaps, "ns", "a", (o) => {
      if (o.metadata?.resourceVersion !== String(written.modRevision)) {
        throw new ApiError(409, "Conflict", "the object has been modified");
      }
      return { ...o, data: { v: "3" } };
    });
    expect(store.calls).to.include({ get: 1, update: 1 });
    expect(result.object.data).to.deep.equal({ v: "3" });
  });

  it("confirms a no-op against the store before answering the stored object", async () => {
    const result = await resources.update(configMaps, "ns", "a", () => undefined);
    expect(result.changed).to.equal(false);
    expect(store.calls).to.include({ get: 1, update: 0 });
    expect(result.object.data).to.deep.equal({ v: "0" });
  });

  it("answers 404 for an object neither the cache nor the store has", async () => {
    const err = await resources.update(configMaps, "ns", "missing", withData("1")).catch((e) => e);
    expect(err).to.be.instanceOf(ApiError);
    expect((err as ApiError).code).to.equal(404);
    expect(store.calls).to.include({ get: 1, update: 0 });
  });

  it("answers 404 when the cached object was deleted meanwhile", async () => {
    const cache = caches.for(configMaps);
    const stale = cache.get(key)!;
    await store.delete(key);
    cache.get = (k) => (k === key ? stale : undefined);
    const err = await resources.update(configMaps, "ns", "a", withData("1")).catch((e) => e);
    expect((err as ApiError).code).to.equal(404);
  });

  it("never hands the cached object itself to the update function", async () => {
    const cached = caches.for(configMaps).get(key)!.object;
    await resources.update(configMaps, "ns", "a", (o) => {
      (o.data as { v: string }).v = "mutated";
      return o;
    });
    expect(cached.data).to.deep.equal({ v: "0" });
  });

  it("reads any recent state from the cache, consistent reads from the store", async () => {
    expect((await resources.tryGetAny(configMaps, "ns", "a"))?.data).to.deep.equal({ v: "0" });
    expect(store.calls.get).to.equal(0);
    expect((await resources.tryGet(configMaps, "ns", "a"))?.data).to.deep.equal({ v: "0" });
    expect(store.calls.get).to.equal(1);
  });
});
