import { expect } from "chai";
import { silentLogger } from "../../../../lib/logger.js";
import { ObjectKeys } from "../../../../controller/api/object-keys.js";
import { ResourceStore } from "../../../../controller/api/objects/resource-store.js";
import { Informer } from "../../../../controller/client/informer.js";
import { findResource } from "../../../../controller/resources/registry.js";
import { MemoryStore } from "../../../support/memory-store.js";

const configMaps = findResource("", "v1", "configmaps")!;
const cm = (name: string, v: string) => ({ metadata: { name, namespace: "default" }, data: { v } });
const settle = () => new Promise((r) => setTimeout(r, 10));

describe("in-process informer", () => {
  it("lists, then tells handlers of every add, update and delete in order", async () => {
    const store = new MemoryStore();
    const resources = new ResourceStore(store, new ObjectKeys());
    await resources.create(configMaps, "default", cm("before", "0"));
    const informer = new Informer(resources, configMaps, silentLogger());
    const seen: string[] = [];
    informer.on({
      add: (o) => seen.push(`add ${o.metadata?.name}`),
      update: (_old, o) => seen.push(`update ${o.metadata?.name} ${(o.data as { v: string }).v}`),
      delete: (o) => seen.push(`delete ${o.metadata?.name}`),
    });
    await informer.start();
    await resources.create(configMaps, "default", cm("x", "1"));
    await resources.update(configMaps, "default", "x", (o) => ({ ...o, data: { v: "2" } }));
    await resources.delete(configMaps, "default", "x");
    await settle();
    informer.stop();
    expect(seen).to.deep.equal(["add before", "add x", "update x 2", "delete x"]);
    expect(informer.list().map((o) => o.metadata?.name)).to.deep.equal(["before"]);
    expect(informer.get("default", "before")?.data).to.deep.equal({ v: "0" });
  });

  it("lists again after the watch is compacted away, reporting what changed meanwhile", async () => {
    const store = new MemoryStore();
    const resources = new ResourceStore(store, new ObjectKeys());
    await resources.create(configMaps, "default", cm("stays", "0"));
    await resources.create(configMaps, "default", cm("goes", "0"));
    const informer = new Informer(resources, configMaps, silentLogger());
    const seen: string[] = [];
    informer.on({
      add: (o) => seen.push(`add ${o.metadata?.name}`),
      delete: (o) => seen.push(`delete ${o.metadata?.name}`),
    });
    // Compact before the informer's watch starts: its first watch fails and it relists.
    const realWatch = store.watch.bind(store);
    let first = true;
    store.watch = (prefix, from, handlers) => {
      if (first) {
        first = false;
        store.compact();
        void resources.delete(configMaps, "default", "goes");
        return realWatch(prefix, from, handlers);
      }
      return realWatch(prefix, from, handlers);
    };
    await informer.start();
    const deadline = Date.now() + 3000;
    while (!seen.includes("delete goes") && Date.now() < deadline) await settle();
    informer.stop();
    expect(seen).to.deep.equal(["add goes", "add stays", "delete goes"]);
  });
});
