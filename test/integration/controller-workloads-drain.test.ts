import { expect } from "chai";
import { requireIntegration } from "../support/prerequisites.js";
import { waitFor } from "../support/wait-for.js";
import {
  deploymentManifest,
  isReady,
  podsPerNode,
  startWorkloadCluster,
  type Wire,
  type WorkloadCluster,
} from "../support/workload-cluster.js";

const ns = "drain";

describe("kubectl cordon, drain and uncordon against the controller with simulated nodes", function () {
  this.timeout(180_000);
  let cluster: WorkloadCluster;
  const c = () => cluster;
  const node = (name: string) => c().call("GET", `/api/v1/nodes/${name}`);
  const podsOn = (name: string) =>
    c().list(`/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${name}`)}`);
  /** `count` pods of web, none terminating, all Running and Ready. */
  const web = (count: number) =>
    waitFor(
      `${count} running web pods`,
      async () => {
        const pods = await c().list(`/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dweb`);
        const ok = pods.filter(
          (p: Wire) => !p.metadata.deletionTimestamp && p.status?.phase === "Running" && isReady(p),
        );
        return pods.length === count && ok.length === count ? pods : undefined;
      },
      60_000,
    );

  before(async function () {
    requireIntegration(this, ["etcd", "openssl", "kubectl"]);
    cluster = await startWorkloadCluster("controller-drain", { count: 3, heartbeatSeconds: 2 }, [
      ns,
    ]);
  });
  after(async () => {
    await cluster?.stop();
  });

  it("sends new pods elsewhere while a node is cordoned, and to it again once uncordoned", async () => {
    expect(await c().kubectlOk(["cordon", "sim-3"])).to.include("node/sim-3 cordoned");
    expect(await c().kubectlOk(["get", "node", "sim-3", "--no-headers"])).to.match(
      /^sim-3\s+Ready,SchedulingDisabled\s/,
    );
    // Pods with an emptyDir volume: drain must be told it may delete their data.
    const manifest = deploymentManifest("web", 6, "busybox:1.36", {
      podSpec: { volumes: [{ name: "scratch", emptyDir: {} }] },
    });
    await c().kubectlOk(["create", "-n", ns, "-f", "-"], JSON.stringify(manifest));
    expect(podsPerNode(await web(6))).to.deep.equal({ "sim-1": 3, "sim-2": 3 });

    expect(await c().kubectlOk(["uncordon", "sim-3"])).to.include("node/sim-3 uncordoned");
    expect((await node("sim-3")).spec.unschedulable).to.not.equal(true);
    await c().kubectlOk(["scale", "deployment/web", "--replicas=9", "-n", ns]);
    expect(podsPerNode(await web(9))).to.deep.equal({ "sim-1": 3, "sim-2": 3, "sim-3": 3 });
  });

  it("empties a node with kubectl drain through evictions; replacements land elsewhere", async () => {
    const before = (await podsOn("sim-1")).map((p) => p.metadata.name).sort();
    expect(before).to.have.length(3);
    const refused = await c().kubectl(["drain", "sim-1", "--ignore-daemonsets", "--timeout=60s"]);
    expect(refused.code).to.not.equal(0);
    expect(refused.stderr).to.include("cannot delete Pods with local storage");
    expect(await podsOn("sim-1")).to.have.length(3);

    const out = await c().kubectlOk(
      ["drain", "sim-1", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=60s"],
      undefined,
      90_000,
    );
    for (const name of before) {
      expect(out).to.include(`evicting pod ${ns}/${name}`);
      expect(out).to.include(`pod/${name} evicted`);
    }
    expect(out).to.include("node/sim-1 drained");
    expect(await podsOn("sim-1")).to.deep.equal([]);
    expect(c().sim.podsOn("sim-1")).to.deep.equal([]);
    expect((await node("sim-1")).spec.unschedulable).to.equal(true);
    const replaced = await web(9);
    const perNode = podsPerNode(replaced);
    expect(Object.keys(perNode).sort()).to.deep.equal(["sim-2", "sim-3"]);
    // The three replacements are spread over the two nodes left: 5/4 one way or the other.
    expect(Math.min(perNode["sim-2"], perNode["sim-3"]), JSON.stringify(perNode)).to.equal(4);
    for (const pod of replaced) expect(before).to.not.include(pod.metadata.name);

    expect(await c().kubectlOk(["uncordon", "sim-1"])).to.include("node/sim-1 uncordoned");
    await c().kubectlOk(["scale", "deployment/web", "--replicas=12", "-n", ns]);
    const spread = podsPerNode(await web(12));
    expect(spread["sim-1"], JSON.stringify(spread)).to.be.at.least(1);
  });
});
