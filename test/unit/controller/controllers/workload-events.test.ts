import { expect } from "chai";
import { silentLogger } from "../../../../lib/logger.js";
import { InformerSet } from "../../../../controller/client/informer-set.js";
import { DeploymentController } from "../../../../controller/controllers/deployment-controller.js";
import { ReplicaSetController } from "../../../../controller/controllers/replicaset-controller.js";
import { startMemoryApi, type MemoryApi } from "../../../support/memory-api.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- reading loosely typed objects */

const deployment = {
  metadata: { name: "web" },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: { containers: [{ name: "c", image: "busybox:1.36" }] },
    },
  },
};

describe("Deployment and ReplicaSet controllers' events (in-memory store)", function () {
  this.timeout(20_000);
  let api: MemoryApi;
  let informers: InformerSet;
  let stops: Array<{ stop(): void }>;

  const events = async (kind: string) =>
    ((await api.request("GET", "/api/v1/namespaces/default/events")).body.items as any[])
      .filter((e) => e.involvedObject.kind === kind)
      .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  const until = async <T>(check: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 8000;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error("timed out");
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  beforeEach(async () => {
    api = await startMemoryApi();
    await api.request("POST", "/api/v1/namespaces", { metadata: { name: "default" } });
    informers = new InformerSet(api.deps.resources, api.deps.registry, silentLogger());
    stops = [
      new ReplicaSetController(api.deps, informers, silentLogger()),
      new DeploymentController(api.deps, informers, silentLogger()),
    ];
    await informers.start();
  });
  afterEach(async () => {
    for (const s of stops) s.stop();
    informers.stop();
    await api.close();
  });

  it("records ScalingReplicaSet on the Deployment, SuccessfulCreate/Delete on the ReplicaSet", async () => {
    await api.request("POST", "/apis/apps/v1/namespaces/default/deployments", deployment);
    const [rs] = await until(async () => {
      const list = (await api.request("GET", "/apis/apps/v1/namespaces/default/replicasets")).body
        .items;
      return list.length === 1 ? list : undefined;
    });
    const name = rs.metadata.name;
    const created = await until(async () => {
      const list = await events("ReplicaSet");
      return list.length === 3 ? list : undefined;
    });
    const pods = (await api.request("GET", "/api/v1/namespaces/default/pods")).body.items;
    expect(created.map((e) => e.message).sort()).to.deep.equal(
      pods.map((p: any) => `Created pod: ${p.metadata.name}`).sort(),
    );
    for (const e of created) {
      expect(e).to.include({ type: "Normal", reason: "SuccessfulCreate" });
      expect(e.involvedObject).to.include({ kind: "ReplicaSet", name, uid: rs.metadata.uid });
      expect(e.source).to.deep.equal({ component: "replicaset-controller" });
    }

    await api.request(
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/web/scale",
      { spec: { replicas: 1 } },
      { "content-type": "application/merge-patch+json" },
    );
    const deleted = await until(async () => {
      const list = (await events("ReplicaSet")).filter((e) => e.reason === "SuccessfulDelete");
      return list.length === 2 ? list : undefined;
    });
    for (const e of deleted)
      expect(e.message).to.match(new RegExp(`^Deleted pod: ${name}-\\w{5}$`));
    const scaling = await until(async () => {
      const list = await events("Deployment");
      return list.length === 2 ? list : undefined;
    });
    expect(scaling.map((e) => [e.type, e.reason, e.message, e.source.component])).to.deep.equal([
      [
        "Normal",
        "ScalingReplicaSet",
        `Scaled up replica set ${name} from 0 to 3`,
        "deployment-controller",
      ],
      [
        "Normal",
        "ScalingReplicaSet",
        `Scaled down replica set ${name} from 3 to 1`,
        "deployment-controller",
      ],
    ]);
    expect(scaling[0].involvedObject).to.include({
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: "web",
    });
  });
});
