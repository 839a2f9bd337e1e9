import { expect } from "chai";
import { silentLogger } from "../../../../lib/logger.js";
import { InformerSet } from "../../../../controller/client/informer-set.js";
import { GarbageCollector } from "../../../../controller/controllers/garbage-collector.js";
import { startMemoryApi, type MemoryApi } from "../../../support/memory-api.js";

describe("garbage collector (in-memory store)", () => {
  let api: MemoryApi;
  let informers: InformerSet;
  let gc: GarbageCollector;

  const owned = (
    owner: { metadata: { name: string; uid: string } },
    kind: string,
    apiVersion: string,
  ) => [
    {
      apiVersion,
      kind,
      name: owner.metadata.name,
      uid: owner.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];

  /** A ConfigMap "owner" with two ConfigMap dependents, one of which owns a third. */
  async function family() {
    const mk = async (name: string, ownerReferences?: unknown) =>
      (
        await api.request("POST", "/api/v1/namespaces/default/configmaps", {
          metadata: { name, ownerReferences },
        })
      ).body;
    const owner = await mk("owner");
    const child = await mk("child", owned(owner, "ConfigMap", "v1"));
    const sibling = await mk("sibling", owned(owner, "ConfigMap", "v1"));
    const grandchild = await mk("grandchild", owned(child, "ConfigMap", "v1"));
    return { owner, child, sibling, grandchild };
  }

  const names = async () =>
    (await api.request("GET", "/api/v1/namespaces/default/configmaps")).body.items
      .map((o: { metadata: { name: string } }) => o.metadata.name)
      .sort();

  const settle = async (until: () => Promise<boolean>) => {
    const deadline = Date.now() + 5000;
    while (!(await until()) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      await gc.idle();
    }
  };

  beforeEach(async () => {
    api = await startMemoryApi();
    await api.request("POST", "/api/v1/namespaces", { metadata: { name: "default" } });
    informers = new InformerSet(api.deps.resources, api.deps.registry, silentLogger());
    gc = new GarbageCollector(api.deps, informers, silentLogger());
    await informers.start();
  });
  afterEach(async () => {
    gc.stop();
    informers.stop();
    await api.close();
  });

  it("deletes dependents, and theirs, after a background delete of the owner", async () => {
    await family();
    await api.request("DELETE", "/api/v1/namespaces/default/configmaps/owner", {
      propagationPolicy: "Background",
    });
    await settle(async () => (await names()).length === 0);
    expect(await names()).to.deep.equal([]);
  });

  it("keeps dependents without the owner's reference after an orphan delete", async () => {
    await family();
    const res = await api.request("DELETE", "/api/v1/namespaces/default/configmaps/owner", {
      propagationPolicy: "Orphan",
    });
    expect(res.body.metadata.finalizers).to.include("orphan");
    await settle(async () => !(await names()).includes("owner"));
    expect(await names()).to.deep.equal(["child", "grandchild", "sibling"]);
    const child = (await api.request("GET", "/api/v1/namespaces/default/configmaps/child")).body;
    expect(child.metadata.ownerReferences ?? []).to.deep.equal([]);
  });

  it("holds the owner of a foreground delete until its dependents are gone", async () => {
    await family();
    const res = await api.request("DELETE", "/api/v1/namespaces/default/configmaps/owner", {
      propagationPolicy: "Foreground",
    });
    expect(res.body.metadata.deletionTimestamp).to.be.a("string");
    expect(res.body.metadata.finalizers).to.include("foregroundDeletion");
    await settle(async () => (await names()).length === 0);
    expect(await names()).to.deep.equal([]);
  });

  it("removes only the dangling reference of an object that still has another owner", async () => {
    const a = (
      await api.request("POST", "/api/v1/namespaces/default/configmaps", {
        metadata: { name: "a" },
      })
    ).body;
    const b = (
      await api.request("POST", "/api/v1/namespaces/default/configmaps", {
        metadata: { name: "b" },
      })
    ).body;
    await api.request("POST", "/api/v1/namespaces/default/configmaps", {
      metadata: {
        name: "shared",
        ownerReferences: [
          { apiVersion: "v1", kind: "ConfigMap", name: "a", uid: a.metadata.uid },
          { apiVersion: "v1", kind: "ConfigMap", name: "b", uid: b.metadata.uid },
        ],
      },
    });
    await api.request("DELETE", "/api/v1/namespaces/default/configmaps/a");
    await settle(async () => {
      const shared = (await api.request("GET", "/api/v1/namespaces/default/configmaps/shared"))
        .body;
      return shared.metadata?.ownerReferences?.length === 1;
    });
    const shared = (await api.request("GET", "/api/v1/namespaces/default/configmaps/shared")).body;
    expect(shared.metadata.ownerReferences.map((r: { name: string }) => r.name)).to.deep.equal([
      "b",
    ]);
  });
});
