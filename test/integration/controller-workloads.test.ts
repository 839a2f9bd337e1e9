import { expect } from "chai";
import { requireIntegration } from "../support/prerequisites.js";
import { waitFor } from "../support/wait-for.js";
import { watchObjects, type WatchEventType } from "../support/object-watch.js";
import {
  deploymentManifest,
  isReady,
  podsPerNode,
  startWorkloadCluster,
  type Wire,
  type WorkloadCluster,
} from "../support/workload-cluster.js";

const ns = "apps";
const rollingUpdate = (maxSurge: number | string, maxUnavailable: number | string) => ({
  type: "RollingUpdate",
  rollingUpdate: { maxSurge, maxUnavailable },
});
const revision = (o: Wire) => o.metadata.annotations?.["deployment.kubernetes.io/revision"];
const imageOf = (o: Wire) =>
  (o.spec.template?.spec ?? o.spec).containers.map((c: Wire) => c.image).join(",");

/**
 * What Kubernetes promises during a rolling update, checked on the pod set after every event:
 * pods not on their way out at most replicas + maxSurge (a terminating pod no longer counts), and
 * at least replicas − maxUnavailable of them Ready (available, with minReadySeconds 0).
 */
class RolloutBounds {
  readonly violations: string[] = [];
  events = 0;
  highestTotal = 0;
  lowestReady = Infinity;

  constructor(
    private readonly replicas: number,
    private readonly maxSurge: number,
    private readonly maxUnavailable: number,
  ) {}

  check(pods: Map<string, Wire>, type: WatchEventType | "LIST", pod?: Wire): void {
    this.events++;
    const live = [...pods.values()].filter(
      (p) => !p.metadata.deletionTimestamp && !["Succeeded", "Failed"].includes(p.status?.phase),
    );
    const ready = live.filter(isReady).length;
    this.highestTotal = Math.max(this.highestTotal, live.length);
    this.lowestReady = Math.min(this.lowestReady, ready);
    const at = `event ${this.events} (${type} ${pod?.metadata.name ?? ""})`;
    if (live.length > this.replicas + this.maxSurge) {
      this.violations.push(`${at}: ${live.length} pods > ${this.replicas} + ${this.maxSurge}`);
    }
    if (ready < this.replicas - this.maxUnavailable) {
      this.violations.push(`${at}: ${ready} ready < ${this.replicas} - ${this.maxUnavailable}`);
    }
  }
}

describe("Deployments and ReplicaSets on the controller process with simulated nodes", function () {
  this.timeout(180_000);
  let cluster: WorkloadCluster;
  const c = () => cluster;
  const pods = (app: string) =>
    c().list(`/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(`app=${app}`)}`);
  const replicaSets = (app: string) =>
    c().list(
      `/apis/apps/v1/namespaces/${ns}/replicasets?labelSelector=${encodeURIComponent(`app=${app}`)}`,
    );
  const deployment = (name: string) =>
    c().call("GET", `/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
  const events = async (kind: string, name: string) =>
    (
      await c().list(
        `/api/v1/namespaces/${ns}/events?fieldSelector=` +
          encodeURIComponent(`involvedObject.kind=${kind},involvedObject.name=${name}`),
      )
    ).sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
  /** Exactly `count` pods of `app`, none terminating, all Running, Ready, on `image`. */
  const settled = (app: string, count: number, image: string) =>
    waitFor(
      `${count} ready ${app} pods on ${image}`,
      async () => {
        const all = await pods(app);
        const good = all.filter(
          (p) =>
            !p.metadata.deletionTimestamp &&
            p.status?.phase === "Running" &&
            isReady(p) &&
            imageOf(p) === image,
        );
        return all.length === count && good.length === count ? all : undefined;
      },
      60_000,
    );
  const rolloutStatus = async (name: string) => {
    const out = await c().kubectlOk(
      ["rollout", "status", `deployment/${name}`, "-n", ns, "--timeout=90s"],
      undefined,
      100_000,
    );
    expect(out).to.include(`deployment "${name}" successfully rolled out`);
  };

  /** Sets a new image with kubectl while watching the pods, then checks the bounds held. */
  const rollWatched = async (
    name: string,
    replicas: number,
    bounds: { maxSurge: number; maxUnavailable: number },
    image: string,
  ) => {
    const checker = new RolloutBounds(replicas, bounds.maxSurge, bounds.maxUnavailable);
    const watch = await watchObjects(
      c().api,
      `/api/v1/namespaces/${ns}/pods`,
      `labelSelector=${encodeURIComponent(`app=${name}`)}`,
      (objects, type, object) => checker.check(objects, type, object),
    );
    try {
      expect(checker.highestTotal, "pods before the update").to.equal(replicas);
      const set = await c().kubectlOk([
        "set",
        "image",
        `deployment/${name}`,
        `app=${image}`,
        "-n",
        ns,
      ]);
      expect(set).to.include(`deployment.apps/${name} image updated`);
      await rolloutStatus(name);
      await waitFor(
        `the watch to see ${replicas} pods of ${name} on ${image}`,
        async () => {
          const live = [...watch.objects.values()];
          return live.length === replicas &&
            live.every((p) => imageOf(p) === image && isReady(p) && !p.metadata.deletionTimestamp)
            ? true
            : undefined;
        },
        60_000,
      );
    } finally {
      watch.stop();
    }
    expect(watch.failure()).to.equal(undefined);
    expect(checker.violations).to.deep.equal([]);
    // The update really went through the watch: every new pod was added, made ready, every old
    // one marked and removed, and the surge was used.
    expect(checker.events).to.be.greaterThan(replicas * 4);
    expect(checker.highestTotal).to.be.greaterThan(replicas);
    expect(checker.lowestReady).to.be.at.least(replicas - bounds.maxUnavailable);
  };

  before(async function () {
    requireIntegration(this, ["etcd", "openssl", "kubectl"]);
    cluster = await startWorkloadCluster(
      "controller-workloads",
      { count: 3, heartbeatSeconds: 2 },
      [ns],
    );
  });
  after(async () => {
    await cluster?.stop();
  });

  it("spreads a Deployment of 6 replicas 2/2/2 over three nodes, Running and Ready", async () => {
    const manifest = deploymentManifest("web", 6, "busybox:1.36", {
      strategy: rollingUpdate(2, 1),
    });
    const created = await c().kubectlOk(["create", "-n", ns, "-f", "-"], JSON.stringify(manifest));
    expect(created).to.include("deployment.apps/web created");
    await rolloutStatus("web");
    const running = await settled("web", 6, "busybox:1.36");
    expect(podsPerNode(running)).to.deep.equal({ "sim-1": 2, "sim-2": 2, "sim-3": 2 });
    for (const node of c().sim.names) expect(c().sim.podsOn(node)).to.have.length(2);
    const d = await deployment("web");
    expect(d.status).to.include({
      observedGeneration: d.metadata.generation,
      replicas: 6,
      updatedReplicas: 6,
      readyReplicas: 6,
      availableReplicas: 6,
    });
    const [rs] = await replicaSets("web");
    expect(revision(rs)).to.equal("1");
    expect(rs.status).to.include({ replicas: 6, readyReplicas: 6, availableReplicas: 6 });
  });

  it("rolls an image change within maxSurge 2 / maxUnavailable 1 at every pod event", async () => {
    await rollWatched("web", 6, { maxSurge: 2, maxUnavailable: 1 }, "busybox:1.37");
  });

  it("rolls within percentages: 25% of 10 is a surge of 3 (rounded up), 2 unavailable (down)", async () => {
    const manifest = deploymentManifest("api", 10, "busybox:1.36", {
      strategy: rollingUpdate("25%", "25%"),
    });
    await c().kubectlOk(["create", "-n", ns, "-f", "-"], JSON.stringify(manifest));
    await rolloutStatus("api");
    await settled("api", 10, "busybox:1.36");
    await rollWatched("api", 10, { maxSurge: 3, maxUnavailable: 2 }, "busybox:1.37");
  });

  it("tells kubectl describe how it scaled: ScalingReplicaSet and SuccessfulCreate/Delete events", async () => {
    const sets = await replicaSets("api");
    const newRS = sets.find((rs) => revision(rs) === "2");
    const oldRS = sets.find((rs) => revision(rs) === "1");
    // Each ReplicaSet's events form one unbroken chain of sizes: the old from 0 up to 10 and back
    // to 0, the new from 0 to 10, their sum never above 10 + a surge of 3.
    const chains = new Map<string, number[]>();
    const scaling = await waitFor("the deployment's events", async () => {
      const list = await events("Deployment", "api");
      return list.length >= 4 ? list : undefined;
    });
    for (const e of scaling) {
      expect(e).to.deep.include({ type: "Normal", reason: "ScalingReplicaSet", count: 1 });
      expect(e.source).to.deep.equal({ component: "deployment-controller" });
      expect(e.involvedObject).to.include({
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: "api",
      });
      const m = /^Scaled (up|down) replica set (\S+) from (\d+) to (\d+)$/.exec(e.message);
      expect(m, e.message).to.not.equal(null);
      const [, direction, name, from, to] = m!;
      expect(direction).to.equal(Number(to) > Number(from) ? "up" : "down");
      const chain = chains.get(name) ?? [0];
      expect(Number(from), `${name}: ${chain.join("→")} then ${e.message}`).to.equal(chain.at(-1));
      chains.set(name, [...chain, Number(to)]);
      const total = [...chains.values()].reduce((sum, sizes) => sum + sizes.at(-1)!, 0);
      expect(total, e.message).to.be.at.most(13);
    }
    expect(chains.get(oldRS.metadata.name)?.slice(0, 2)).to.deep.equal([0, 10]);
    expect(chains.get(oldRS.metadata.name)?.at(-1)).to.equal(0);
    expect(chains.get(newRS.metadata.name)?.slice(0, 2)).to.deep.equal([0, 3]);
    expect(chains.get(newRS.metadata.name)?.at(-1)).to.equal(10);

    const described = await c().kubectlOk(["describe", "deployment", "api", "-n", ns]);
    expect(described).to.match(
      new RegExp(
        `Normal\\s+ScalingReplicaSet\\s+\\S+\\s+deployment-controller\\s+` +
          `Scaled up replica set ${oldRS.metadata.name} from 0 to 10$`,
        "m",
      ),
    );
    expect(described).to.match(/^NewReplicaSet:\s+api-\S+ \(10\/10 replicas created\)$/m);

    // The old ReplicaSet created 10 pods and deleted them all again; the new one created 10.
    const creates = (list: Wire[]) =>
      list.filter((e) => e.reason === "SuccessfulCreate").map((e) => e.message);
    const deletes = (list: Wire[]) =>
      list.filter((e) => e.reason === "SuccessfulDelete").map((e) => e.message);
    const oldEvents = await waitFor("the old ReplicaSet's deletions", async () => {
      const list = await events("ReplicaSet", oldRS.metadata.name);
      return deletes(list).length === 10 ? list : undefined;
    });
    expect(creates(oldEvents)).to.have.length(10);
    for (const message of [...creates(oldEvents), ...deletes(oldEvents)]) {
      expect(message).to.match(
        new RegExp(`^(Created|Deleted) pod: ${oldRS.metadata.name}-\\w{5}$`),
      );
    }
    expect(new Set(deletes(oldEvents).map((m) => m.slice("Deleted".length)))).to.deep.equal(
      new Set(creates(oldEvents).map((m) => m.slice("Created".length))),
    );
    expect(oldEvents[0].source).to.deep.equal({ component: "replicaset-controller" });
    const current = (await pods("api")).map((p) => `Created pod: ${p.metadata.name}`).sort();
    expect(creates(await events("ReplicaSet", newRS.metadata.name)).sort()).to.deep.equal(current);
    const describedRS = await c().kubectlOk(["describe", "rs", newRS.metadata.name, "-n", ns]);
    expect(describedRS).to.match(
      /^\s+Normal\s+SuccessfulCreate\s+\S+\s+replicaset-controller\s+Created pod: api-\S+$/m,
    );
  });

  it("lists the revisions with kubectl rollout history, change cause and template", async () => {
    await c().kubectlOk([
      "annotate",
      "deployment/web",
      "-n",
      ns,
      "kubernetes.io/change-cause=image busybox:1.37",
    ]);
    // The controller copies the Deployment's annotations onto its current ReplicaSet.
    const history = await waitFor("the change cause in the history", async () => {
      const out = await c().kubectlOk(["rollout", "history", "deployment/web", "-n", ns]);
      return out.includes("image busybox:1.37") ? out : undefined;
    });
    expect(history).to.match(/^REVISION\s+CHANGE-CAUSE$/m);
    expect(history).to.match(/^1\s+<none>$/m);
    expect(history).to.match(/^2\s+image busybox:1\.37$/m);
    const first = await c().kubectlOk([
      "rollout",
      "history",
      "deployment/web",
      "-n",
      ns,
      "--revision=1",
    ]);
    expect(first).to.match(/with revision #1/);
    expect(first).to.match(/^\s+Image:\s+busybox:1\.36$/m);
    expect(first).to.match(/pod-template-hash=/);
  });

  it("brings the old template back with kubectl rollout undo, as revision 3", async () => {
    const before = await replicaSets("web");
    const first = before.find((rs) => revision(rs) === "1");
    expect(imageOf(first)).to.equal("busybox:1.36");
    const undo = await c().kubectlOk(["rollout", "undo", "deployment/web", "-n", ns]);
    expect(undo).to.include("deployment.apps/web rolled back");
    await rolloutStatus("web");
    await settled("web", 6, "busybox:1.36");
    const after = await replicaSets("web");
    expect(after).to.have.length(2);
    const restored = after.find((rs) => rs.metadata.uid === first.metadata.uid);
    expect(revision(restored)).to.equal("3");
    expect(restored.metadata.annotations["deployment.kubernetes.io/revision-history"]).to.equal(
      "1",
    );
    expect(restored.spec.replicas).to.equal(6);
    expect(after.find((rs) => rs !== restored).spec.replicas).to.equal(0);
    expect(revision(await deployment("web"))).to.equal("3");
    const current = await pods("web");
    const hash = restored.metadata.labels["pod-template-hash"];
    for (const pod of current) expect(pod.metadata.labels["pod-template-hash"]).to.equal(hash);
    const history = await c().kubectlOk(["rollout", "history", "deployment/web", "-n", ns]);
    expect(history).to.match(/^2\s+image busybox:1\.37$/m);
    expect(history).to.match(/^3\s+/m);
    expect(history).to.not.match(/^1\s+/m);
  });

  it("scales a Deployment up and down with kubectl scale", async () => {
    const up = await c().kubectlOk(["scale", "deployment/web", "--replicas=9", "-n", ns]);
    expect(up).to.include("deployment.apps/web scaled");
    expect(podsPerNode(await settled("web", 9, "busybox:1.36"))).to.deep.equal({
      "sim-1": 3,
      "sim-2": 3,
      "sim-3": 3,
    });
    await c().kubectlOk(["scale", "deployment/web", "--replicas=2", "-n", ns]);
    await settled("web", 2, "busybox:1.36");
    await waitFor("the deployment's status at 2", async () => {
      const d = await deployment("web");
      return d.status.replicas === 2 && d.status.availableReplicas === 2 ? true : undefined;
    });
    const scale = await c().call("GET", `/apis/apps/v1/namespaces/${ns}/deployments/web/scale`);
    expect(scale.spec.replicas).to.equal(2);
    expect(scale.status.replicas).to.equal(2);
  });

  it("scales a ReplicaSet of its own with kubectl scale, both ways", async () => {
    const rs = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "solo" },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "solo" } },
        template: {
          metadata: { labels: { app: "solo" } },
          spec: { containers: [{ name: "app", image: "busybox:1.36" }] },
        },
      },
    };
    await c().kubectlOk(["create", "-n", ns, "-f", "-"], JSON.stringify(rs));
    await settled("solo", 2, "busybox:1.36");
    expect(await c().kubectlOk(["scale", "rs/solo", "--replicas=5", "-n", ns])).to.include(
      "replicaset.apps/solo scaled",
    );
    await settled("solo", 5, "busybox:1.36");
    await c().kubectlOk(["scale", "rs/solo", "--replicas=1", "-n", ns]);
    await settled("solo", 1, "busybox:1.36");
    const stored = await c().call("GET", `/apis/apps/v1/namespaces/${ns}/replicasets/solo`);
    await waitFor("solo's status at 1", async () => {
      const now = await c().call("GET", `/apis/apps/v1/namespaces/${ns}/replicasets/solo`);
      return now.status.replicas === 1 && now.status.readyReplicas === 1 ? true : undefined;
    });
    expect(stored.spec.replicas).to.equal(1);
  });

  it("deletes a Deployment's ReplicaSets and pods with it, or leaves them with --cascade=orphan", async () => {
    const deleted = await c().kubectlOk(["delete", "deployment", "web", "-n", ns]);
    expect(deleted).to.include('deployment.apps "web" deleted');
    await waitFor(
      "web's ReplicaSets and pods to be collected",
      async () =>
        (await replicaSets("web")).length === 0 && (await pods("web")).length === 0
          ? true
          : undefined,
      30_000,
    );

    const orphaned = await c().kubectlOk([
      "delete",
      "deployment",
      "api",
      "-n",
      ns,
      "--cascade=orphan",
    ]);
    expect(orphaned).to.include('deployment.apps "api" deleted');
    const sets = await waitFor("api's ReplicaSets without their owner", async () => {
      const gone =
        (await c().api.request("GET", `/apis/apps/v1/namespaces/${ns}/deployments/api`)).status ===
        404;
      const list = await replicaSets("api");
      const free = list.every((rs) => (rs.metadata.ownerReferences ?? []).length === 0);
      return gone && free ? list : undefined;
    });
    expect(sets).to.have.length(2);
    // Give the collector a moment it would use to (wrongly) delete them, then look again.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await replicaSets("api")).to.have.length(2);
    const left = await settled("api", 10, "busybox:1.37");
    for (const pod of left) {
      expect(pod.metadata.ownerReferences[0]).to.include({ kind: "ReplicaSet", controller: true });
    }
  });
});
