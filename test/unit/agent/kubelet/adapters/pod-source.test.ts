import { expect } from "chai";
import { KubeClient } from "../../../../../agent/kube/kube-client.js";
import type { Reflector } from "../../../../../agent/kube/reflector.js";
import type { Pod } from "../../../../../agent/kube/types.js";
import { startPodSource } from "../../../../../agent/kubelet/pod-source.js";
import { silentLogger } from "../../../../../lib/logger.js";
import { startFakeApi, type FakeApi } from "../../../../support/kubelet-fake-api.js";
import { FakeCollection } from "../../../../support/kubelet-fake-collection.js";
import { waitFor } from "../../../../support/wait-for.js";

const podsPath = "/api/v1/pods";

describe("kubelet pod source: the pods bound to this node, fed to the pod workers", () => {
  let api: FakeApi;
  let collection: FakeCollection;
  let client: KubeClient;
  let source: Reflector<Pod> | undefined;
  let calls: string[];

  const workers = {
    update: (pod: Pod) => void calls.push(`update ${pod.metadata?.name}`),
    remove: (pod: Pod) => void calls.push(`remove ${pod.metadata?.name}`),
    syncKnownPods: (pods: Pod[]) =>
      void calls.push(`known ${pods.map((p) => p.metadata?.name).join(",")}`),
  };
  const waitForCall = (text: string) =>
    waitFor(`"${text}" (have ${calls.join("; ")})`, async () =>
      calls.includes(text) ? true : undefined,
    );
  const serve = () =>
    api.setHandler((req, res) => {
      if (req.path === podsPath) collection.serve(req, res);
    });

  beforeEach(async () => {
    calls = [];
    collection = new FakeCollection();
    api = await startFakeApi(() => undefined);
    serve();
    client = new KubeClient({ server: api.url });
  });

  afterEach(async () => {
    await source?.stop();
    source = undefined;
    client.close();
    await api.close();
  });

  const start = () =>
    (source = startPodSource({
      client,
      nodeName: "node-a",
      workers,
      logger: silentLogger(),
      reflector: { backoff: { initialMs: 20, maxMs: 100 }, watchTimeoutSeconds: 60 },
    }));

  it("lists the node's pods, updates each, then tells the workers the whole set", async () => {
    collection.put("web-1");
    collection.put("web-2");
    start();
    expect(await source!.synced).to.equal(true);
    expect(calls).to.deep.equal(["update web-1", "update web-2", "known web-1,web-2"]);
    const list = api.requests.find((r) => r.path === podsPath);
    expect(list?.query.get("fieldSelector")).to.equal("spec.nodeName=node-a");
  });

  it("hands on watched changes: updates and removals", async () => {
    start();
    await source!.synced;
    await waitFor("a watch", async () => (collection.openWatches === 1 ? true : undefined));
    collection.put("web-3");
    collection.put("web-3", { phase: "Running" });
    collection.remove("web-3");
    await waitForCall("remove web-3");
    expect(calls).to.deep.equal(["known ", "update web-3", "update web-3", "remove web-3"]);
  });

  it("after a relist, removes what went away and tells the workers the set again", async () => {
    collection.put("web-1");
    collection.put("web-2");
    start();
    await source!.synced;
    await waitFor("a watch", async () => (collection.openWatches === 1 ? true : undefined));
    api.setHandler((req, res) => {
      if (req.query.get("watch") !== "true") collection.serve(req, res);
      else res.destroy();
    });
    api.dropConnections();
    collection.remove("web-1");
    collection.compact();
    serve();
    await waitForCall("known web-2");
    expect(calls.slice(3)).to.deep.equal(["remove web-1", "known web-2"]);
  });
});
