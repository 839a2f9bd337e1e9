import { expect } from "chai";
import { silentLogger } from "../../../../lib/logger.js";
import { WatchCaches } from "../../../../controller/api/cache/watch-caches.js";
import { ObjectKeys } from "../../../../controller/api/object-keys.js";
import { ResourceStore } from "../../../../controller/api/objects/resource-store.js";
import { Informer } from "../../../../controller/client/informer.js";
import { findResource } from "../../../../controller/resources/registry.js";
import { CountingStore } from "./counting-store.js";

const configMaps = findResource("", "v1", "configmaps")!;
const cm = (name: string, v: string) => ({ metadata: { name, namespace: "default" }, data: { v } });

describe("in-process informer on a watch cache", () => {
  let store: CountingStore;
  let caches: WatchCaches;
  let resources: ResourceStore;
  let informer: Informer | undefined;
  beforeEach(() => {
    store = new CountingStore();
    caches = new WatchCaches(store, new ObjectKeys(), silentLogger(), {
      relistDelayMs: 5,
      freezeObjects: true,
    });
    resources = new ResourceStore(store, new ObjectKeys(), caches);
  });
  afterEach(() => {
    informer?.stop();
    caches.stop();
  });

  const until = async (check: () => boolean) => {
    const deadline = Date.now() + 3000;
    while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  };

  it("lists and follows the cache: the cache's objects, no store list or watch of its own", async () => {
    await resources.create(configMaps, "default", cm("before", "0"));
    informer = new Informer(resources, configMaps, silentLogger());
    const seen: string[] = [];
    informer.on({
      add: (o) => seen.push(`add ${o.metadata?.name}`),
      update: (_old, o) => seen.push(`update ${o.metadata?.name} ${(o.data as { v: string }).v}`),
      delete: (o) => seen.push(`delete ${o.metadata?.name}`),
    });
    await informer.start();
    expect(store.calls).to.include({ list: 1, watch: 1 });
    await resources.create(configMaps, "default", cm("x", "1"));
    await resources.update(configMaps, "default", "x", (o) => ({ ...o, data: { v: "2" } }));
    await resources.delete(configMaps, "default", "x");
    await until(() => seen.length === 4);
    expect(seen).to.deep.equal(["add before", "add x", "update x 2", "delete x"]);
    const cached = caches.for(configMaps).get("/registry/configmaps/default/before")!.object;
    expect(informer.get("default", "before")).to.equal(cached);
    expect(store.calls).to.include({ list: 1, watch: 1 });
  });

  it("lists the cache again when the cache starts over, reporting what changed meanwhile", async () => {
    await resources.create(configMaps, "default", cm("stays", "0"));
    await resources.create(configMaps, "default", cm("goes", "0"));
    informer = new Informer(resources, configMaps, silentLogger());
    const seen: string[] = [];
    informer.on({
      add: (o) => seen.push(`add ${o.metadata?.name}`),
      delete: (o) => seen.push(`delete ${o.metadata?.name}`),
    });
    await informer.start();
    // The cache loses its store watch (etcd gone too long), and an object goes meanwhile.
    store.watchHandlers.at(-1)!.onError(new Error("etcd unreachable"));
    await store.delete("/registry/configmaps/default/goes");
    await until(() => seen.includes("delete goes"));
    expect(seen).to.deep.equal(["add goes", "add stays", "delete goes"]);
    expect(informer.list().map((o) => o.metadata?.name)).to.deep.equal(["stays"]);
  });
});
