import { expect } from "chai";
import { setTimeout as sleep } from "node:timers/promises";
import { watchObjects, type ObjectWatch } from "../support/object-watch.js";
import { requireIntegration } from "../support/prerequisites.js";
import { waitFor } from "../support/wait-for.js";
import {
  deploymentManifest,
  isReady,
  podManifest,
  podsPerNode,
  startWorkloadCluster,
  type Wire,
  type WorkloadCluster,
} from "../support/workload-cluster.js";

const ns = "sched";
const taint = { key: "dedicated", value: "batch", effect: "NoSchedule" as const };
const nodeLabels: Record<string, Record<string, string>> = {
  "sim-1": { zone: "a", disk: "ssd" },
  "sim-2": { zone: "b", disk: "hdd" },
  "sim-3": { zone: "c", disk: "hdd" },
};
const enc = encodeURIComponent;
const scheduled = (pod: Wire) =>
  (pod.status?.conditions ?? []).find((c: Wire) => c.type === "PodScheduled");
const cpuMilli = (pod: Wire) =>
  pod.spec.containers.reduce((sum: number, c: Wire) => {
    const cpu: string = c.resources?.requests?.cpu ?? "0";
    return sum + (cpu.endsWith("m") ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000);
  }, 0);

describe("the default scheduler on the controller process with simulated nodes", function () {
  this.timeout(180_000);
  let cluster: WorkloadCluster;
  let thirdParty: ObjectWatch | undefined;
  const c = () => cluster;
  const podsOf = (app: string) =>
    c().list(`/api/v1/namespaces/${ns}/pods?labelSelector=${enc(`app=${app}`)}`);
  const getPod = (name: string) => c().call("GET", `/api/v1/namespaces/${ns}/pods/${name}`);
  const create = (manifest: Wire) =>
    c().kubectlOk(["create", "-n", ns, "-f", "-"], JSON.stringify(manifest));
  /** `count` pods of `app`, all bound, Running and Ready. */
  const running = (app: string, count: number) =>
    waitFor(
      `${count} running ${app} pods`,
      async () => {
        const pods = (await podsOf(app)).filter((p) => !p.metadata.deletionTimestamp);
        const ok = pods.filter(
          (p) => p.spec.nodeName && p.status?.phase === "Running" && isReady(p),
        );
        return pods.length === count && ok.length === count ? pods : undefined;
      },
      60_000,
    );
  const pendingWhy = (name: string) =>
    waitFor(`${name} reported unschedulable`, async () => {
      const condition = scheduled(await getPod(name));
      return condition?.status === "False" ? condition : undefined;
    });
  const failedScheduling = async (name: string) =>
    (
      await c().list(
        `/api/v1/namespaces/${ns}/events?fieldSelector=` +
          enc(`involvedObject.kind=Pod,involvedObject.name=${name},reason=FailedScheduling`),
      )
    ).filter((e) => e.reason === "FailedScheduling");
  /** Deletes with kubectl and waits until the simulated nodes have finished every pod. */
  const remove = async (kind: string, names: string[], apps: string[] = names) => {
    await c().kubectlOk(["delete", kind, ...names, "-n", ns, "--wait=false"]);
    await waitFor(`pods of ${apps.join(", ")} gone`, async () => {
      for (const app of apps) if ((await podsOf(app)).length > 0) return undefined;
      return true;
    });
  };

  before(async function () {
    requireIntegration(this, ["etcd", "openssl", "kubectl"]);
    cluster = await startWorkloadCluster(
      "controller-scheduling",
      {
        count: 3,
        heartbeatSeconds: 2,
        capacity: { cpu: "2", memory: "8Gi", pods: "110" },
        labels: (name) => nodeLabels[name],
        taints: (name) => (name === "sim-3" ? [taint] : []),
      },
      [ns],
    );
  });
  after(async () => {
    thirdParty?.stop();
    await cluster?.stop();
  });

  it("keeps pods off a node tainted NoSchedule unless they tolerate the taint", async () => {
    await create(deploymentManifest("plain", 6, "busybox:1.36"));
    expect(podsPerNode(await running("plain", 6))).to.deep.equal({ "sim-1": 3, "sim-2": 3 });
    const toleration = {
      key: "dedicated",
      operator: "Equal",
      value: "batch",
      effect: "NoSchedule",
    };
    await create(
      deploymentManifest("batch", 3, "busybox:1.36", { podSpec: { tolerations: [toleration] } }),
    );
    const batch = podsPerNode(await running("batch", 3));
    expect(batch["sim-3"]).to.be.at.least(1);
    const onTainted = await c().list(
      `/api/v1/namespaces/${ns}/pods?fieldSelector=${enc("spec.nodeName=sim-3")}`,
    );
    expect(onTainted.map((p) => p.metadata.labels.app)).to.deep.equal(
      Array(batch["sim-3"]).fill("batch"),
    );
    await remove("deployment", ["plain", "batch"]);
  });

  it("places pods only on nodes matching their nodeSelector", async () => {
    await create(
      deploymentManifest("ssd", 3, "busybox:1.36", { podSpec: { nodeSelector: { disk: "ssd" } } }),
    );
    expect(podsPerNode(await running("ssd", 3))).to.deep.equal({ "sim-1": 3 });
    await remove("deployment", ["ssd"]);
  });

  it("honours required node affinity with In and NotIn", async () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: "zone", operator: "In", values: ["a", "b"] },
                { key: "disk", operator: "NotIn", values: ["ssd"] },
              ],
            },
          ],
        },
      },
    };
    await create(deploymentManifest("affine", 4, "busybox:1.36", { podSpec: { affinity } }));
    expect(podsPerNode(await running("affine", 4))).to.deep.equal({ "sim-2": 4 });
    await remove("deployment", ["affine"]);
  });

  it("tilts placement toward the nodes a preferred affinity names", async () => {
    await create(deploymentManifest("even", 4, "busybox:1.36"));
    expect(podsPerNode(await running("even", 4))).to.deep.equal({ "sim-1": 2, "sim-2": 2 });
    await remove("deployment", ["even"]);
    const affinity = {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            preference: { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] },
          },
        ],
      },
    };
    await create(deploymentManifest("tilt", 4, "busybox:1.36", { podSpec: { affinity } }));
    const tilted = podsPerNode(await running("tilt", 4));
    expect(tilted["sim-1"], JSON.stringify(tilted)).to.be.at.least(3);
    await remove("deployment", ["tilt"]);
  });

  it("leaves a pod nothing fits Pending with the reasons, and places it once a node fits", async () => {
    await create(podManifest("picky", { nodeSelector: { disk: "nvme" } }));
    const why =
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: batch}, " +
      "2 node(s) didn't match Pod's node affinity/selector. " +
      "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    expect(await pendingWhy("picky")).to.include({ reason: "Unschedulable", message: why });
    const [event] = await waitFor("a FailedScheduling event", async () => {
      const list = await failedScheduling("picky");
      return list.length > 0 ? list : undefined;
    });
    expect(event).to.include({ type: "Warning", message: why });
    expect(event.source).to.deep.equal({ component: "default-scheduler" });
    const described = await c().kubectlOk(["describe", "pod", "picky", "-n", ns]);
    expect(described).to.match(/^Status:\s+Pending$/m);
    expect(described).to.match(/^Node:\s+<none>$/m);
    expect(described).to.include(`Warning  FailedScheduling`);
    expect(described).to.match(
      /default-scheduler\s+0\/3 nodes are available: 1 node\(s\) had untolerated taint/,
    );

    await c().kubectlOk(["label", "node", "sim-2", "disk=nvme", "--overwrite"]);
    await running("picky", 1);
    const placed = await getPod("picky");
    expect(placed.spec.nodeName).to.equal("sim-2");
    expect(scheduled(placed)).to.include({ status: "True" });
    await c().kubectlOk(["label", "node", "sim-2", "disk=hdd", "--overwrite"]);
    await remove("pod", ["picky"]);
  });

  it("never over-commits cpu: pods that do not fit wait with Insufficient cpu, then go", async () => {
    const onSim1 = { nodeSelector: { "kubernetes.io/hostname": "sim-1" } };
    await create(podManifest("hog", onSim1, "1500m"));
    await running("hog", 1);
    const cpu = deploymentManifest("cpu", 5, "busybox:1.36");
    cpu.spec.template.spec.containers[0].resources = { requests: { cpu: "600m" } };
    await create(cpu);
    // sim-1 has 500m left, sim-2 room for three, sim-3 is tainted: three run, two wait.
    const pending = await waitFor("three cpu pods placed and two reported", async () => {
      const pods = await podsOf("cpu");
      const waiting = pods.filter((p) => scheduled(p)?.status === "False");
      return pods.filter((p) => p.spec.nodeName).length === 3 && waiting.length === 2
        ? waiting
        : undefined;
    });
    const why =
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: batch}, " +
      "2 Insufficient cpu. preemption: 0/3 nodes are available: " +
      "1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.";
    for (const pod of pending)
      expect(scheduled(pod)).to.include({ reason: "Unschedulable", message: why });
    const committed = async () => {
      const perNode: Record<string, number> = {};
      for (const pod of await c().list(`/api/v1/namespaces/${ns}/pods`)) {
        if (!pod.spec.nodeName || pod.metadata.deletionTimestamp) continue;
        perNode[pod.spec.nodeName] = (perNode[pod.spec.nodeName] ?? 0) + cpuMilli(pod);
      }
      return perNode;
    };
    expect(await committed()).to.deep.equal({ "sim-1": 1500, "sim-2": 1800 });

    // Room on sim-1: the waiting pods are retried and placed there, still within 2000m.
    await remove("pod", ["hog"]);
    expect(podsPerNode(await running("cpu", 5))).to.deep.equal({ "sim-1": 2, "sim-2": 3 });
    expect(await committed()).to.deep.equal({ "sim-1": 1200, "sim-2": 1800 });
    await remove("deployment", ["cpu"]);
  });

  it("leaves pods of another scheduler alone; a scheduler written here binds them", async () => {
    const custom = (name: string) =>
      podManifest(name, { schedulerName: "my-scheduler" }, undefined, { app: "custom" });
    for (const name of ["custom-1", "custom-2", "custom-3"]) await create(custom(name));
    // A default-scheduler pod created after them is placed: the queue has moved past them.
    await create(podManifest("marker"));
    await running("marker", 1);
    await sleep(1_000);
    for (const pod of await podsOf("custom")) {
      expect(pod.spec.nodeName, pod.metadata.name).to.equal(undefined);
      expect(pod.status.phase).to.equal("Pending");
      expect(scheduled(pod), pod.metadata.name).to.equal(undefined);
      expect(await failedScheduling(pod.metadata.name)).to.deep.equal([]);
    }

    // The third-party scheduler: every unbound pod naming it goes to the node it prefers,
    // sim-3 (the tainted one: binding is the scheduler's decision, not the filters').
    const bindings: string[] = [];
    const bind = async (pod: Wire) => {
      const answer = await c().api.request(
        "POST",
        `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/binding`,
        {
          apiVersion: "v1",
          kind: "Binding",
          metadata: { name: pod.metadata.name, uid: pod.metadata.uid },
          target: { apiVersion: "v1", kind: "Node", name: "sim-3" },
        },
      );
      bindings.push(`${pod.metadata.name}:${answer.status}`);
    };
    const seen = new Set<string>();
    thirdParty = await watchObjects(
      c().api,
      "/api/v1/pods",
      `fieldSelector=${enc("spec.schedulerName=my-scheduler,spec.nodeName=")}`,
      (objects) => {
        for (const pod of objects.values()) {
          if (seen.has(pod.metadata.uid) || pod.metadata.deletionTimestamp) continue;
          seen.add(pod.metadata.uid);
          void bind(pod);
        }
      },
    );
    await create(custom("custom-4"));
    const bound = await running("custom", 4);
    thirdParty.stop();
    expect(thirdParty.failure()).to.equal(undefined);
    expect(bindings.sort()).to.deep.equal([
      "custom-1:201",
      "custom-2:201",
      "custom-3:201",
      "custom-4:201",
    ]);
    for (const pod of bound) {
      expect(pod.spec.nodeName).to.equal("sim-3");
      expect(scheduled(pod)).to.include({ status: "True" });
    }
    expect(c().sim.podsOn("sim-3")).to.include(`${ns}/custom-4`);
    await remove(
      "pod",
      ["custom-1", "custom-2", "custom-3", "custom-4", "marker"],
      ["custom", "marker"],
    );
  });
});
