import { expect } from "chai";
import { KubeClient } from "../../../../agent/kube/kube-client.js";
import {
  startReflector,
  type CacheEvent,
  type Reflector,
} from "../../../../agent/kube/reflector.js";
import { silentLogger } from "../../../../lib/logger.js";
import { startFakeApi, type FakeApi } from "../../../support/kubelet-fake-api.js";
import { FakeCollection, type FakeObject } from "../../../support/kubelet-fake-collection.js";
import { waitFor } from "../../../support/wait-for.js";

const path = "/api/v1/namespaces/ns/configmaps";

describe("agent/kube reflector", () => {
  let api: FakeApi;
  let collection: FakeCollection;
  let client: KubeClient;
  let reflector: Reflector<FakeObject> | undefined;
  let events: string[];

  const describeEvent = (e: CacheEvent<FakeObject>) =>
    e.type === "update"
      ? `update ${e.old.metadata.name}@${e.old.metadata.resourceVersion}->${e.object.metadata.resourceVersion}`
      : `${e.type} ${e.object.metadata.name}`;

  const start = (options: { onEvent?: (e: CacheEvent<FakeObject>) => void } = {}) =>
    (reflector = startReflector<FakeObject>({
      client,
      path,
      labelSelector: "app=web",
      pageSize: 2,
      watchTimeoutSeconds: 60,
      backoff: { initialMs: 20, maxMs: 100 },
      logger: silentLogger(),
      onEvent:
        options.onEvent ??
        ((e) => {
          events.push(describeEvent(e));
        }),
    }));

  const lists = () => api.requests.filter((r) => r.path === path && !r.query.get("watch"));
  const watches = () => api.requests.filter((r) => r.query.get("watch") === "true");
  const waitForEvent = (text: string) =>
    waitFor(`event "${text}" (have ${events.join("; ")})`, async () =>
      events.includes(text) ? true : undefined,
    );

  beforeEach(async () => {
    events = [];
    collection = new FakeCollection();
    api = await startFakeApi((req, res) => {
      if (req.path === path) collection.serve(req, res);
    });
    client = new KubeClient({ server: api.url });
  });

  afterEach(async () => {
    await reflector?.stop();
    reflector = undefined;
    client.close();
    await api.close();
  });

  it("lists page by page, is synced with every object cached, then watches from the list", async () => {
    for (const name of ["a", "b", "c", "d", "e"]) collection.put(name);
    start();
    expect(await reflector!.synced).to.equal(true);
    expect(events).to.deep.equal(["add a", "add b", "add c", "add d", "add e"]);
    expect(reflector!.list()).to.have.length(5);
    expect(reflector!.get("ns", "c")?.metadata.resourceVersion).to.equal("103");
    expect(lists().map((r) => r.query.get("limit"))).to.deep.equal(["2", "2", "2"]);
    expect(lists()[1].query.get("continue")).to.equal("page-1");
    expect(lists()[0].query.get("labelSelector")).to.equal("app=web");
    await waitFor("a watch", async () => (collection.openWatches === 1 ? true : undefined));
    const watch = watches()[0].query;
    expect(watch.get("resourceVersion")).to.equal("105");
    expect(watch.get("allowWatchBookmarks")).to.equal("true");
    expect(watch.get("labelSelector")).to.equal("app=web");
  });

  it("hands on watch events as add, update (old and new) and delete", async () => {
    collection.put("a");
    start();
    await reflector!.synced;
    await waitFor("a watch", async () => (collection.openWatches === 1 ? true : undefined));
    collection.put("b");
    collection.put("a", { k: "v" });
    collection.remove("b");
    await waitForEvent("delete b");
    expect(events).to.deep.equal(["add a", "add b", "update a@101->103", "delete b"]);
    expect(reflector!.get("ns", "a")?.data).to.deep.equal({ k: "v" });
    expect(reflector!.get("ns", "b")).to.equal(undefined);
    expect(reflector!.resourceVersion()).to.equal("104");
  });

  it("resumes a dropped watch from the last resourceVersion, bookmarks included, without a relist", async () => {
    collection.put("a");
    start();
    await reflector!.synced;
    await waitFor("a watch", async () => (collection.openWatches === 1 ? true : undefined));
    collection.put("a", { v: "2" });
    await waitForEvent("update a@101->102");
    collection.revision = 150; // other objects changed elsewhere: only a bookmark tells us
    collection.bookmark();
    await waitFor("the bookmark", async () =>
      reflector!.resourceVersion() === "150" ? true : undefined,
    );
    api.dropConnections();
    await waitFor("a second watch", async () => (watches().length === 2 ? true : undefined));
    expect(watches()[1].query.get("resourceVersion")).to.equal("150");
    await waitFor("the watch to be open", async () =>
      collection.openWatches === 1 ? true : undefined,
    );
    collection.put("c");
    await waitForEvent("add c");
    expect(lists()).to.have.length(1);
  });

  it("lists again when the watch's resourceVersion expired (410), telling what changed meanwhile", async () => {
    collection.put("a");
    collection.put("b");
    start();
    await reflector!.synced;
    await waitFor("a watch", async () => (collection.openWatches === 1 ? true : undefined));
    api.setHandler((req, res) => {
      if (req.path === path && req.query.get("watch") !== "true") collection.serve(req, res);
      else res.destroy(); // the server is away
    });
    api.dropConnections();
    collection.remove("a");
    collection.put("b", { v: "2" });
    collection.put("c");
    collection.compact();
    api.setHandler((req, res) => {
      if (req.path === path) collection.serve(req, res);
    });
    await waitForEvent("add c");
    expect(events).to.include.members(["delete a", "update b@102->104"]);
    expect(
      reflector!
        .list()
        .map((o) => o.metadata.name)
        .sort(),
    ).to.deep.equal(["b", "c"]);
    expect(lists().length).to.be.greaterThan(1);
    await waitFor("a watch from the new list", async () =>
      watches().some((w) => w.query.get("resourceVersion") === "105") ? true : undefined,
    );
  });

  it("keeps going when a handler throws", async () => {
    start({
      onEvent: (e) => {
        events.push(describeEvent(e));
        if (e.object.metadata.name === "bad") throw new Error("handler bug");
      },
    });
    await reflector!.synced;
    await waitFor("a watch", async () => (collection.openWatches === 1 ? true : undefined));
    collection.put("bad");
    collection.put("good");
    await waitForEvent("add good");
  });

  it("retries a failing list with backoff and reports synced only once one succeeded", async () => {
    let failures = 0;
    api.setHandler((req, res) => {
      if (failures < 2 && !req.query.get("watch")) {
        failures++;
        res.writeHead(503).end();
        return;
      }
      collection.serve(req, res);
    });
    collection.put("a");
    start();
    expect(await reflector!.synced).to.equal(true);
    expect(failures).to.equal(2);
    expect(events).to.deep.equal(["add a"]);
  });

  it("stop() ends the watch and every retry; synced is false when stopped before a list", async () => {
    api.setHandler((_req, res) => {
      res.writeHead(503).end();
    });
    start();
    await waitFor("a failed list", async () => (api.requests.length > 0 ? true : undefined));
    await reflector!.stop();
    expect(await reflector!.synced).to.equal(false);
    const seen = api.requests.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(api.requests.length).to.equal(seen);
  });
});
