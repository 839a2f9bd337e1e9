import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pkiLayout } from "../../controller/pki/pki-layout.js";
import { startControllerProcess, type ControllerProcess } from "../support/controller-process.js";
import { startEtcd, type TestEtcd } from "../support/etcd-server.js";
import { kubectl, kubectlOk } from "../support/kubectl.js";
import { requireIntegration } from "../support/prerequisites.js";
import { SimApiClient, type SimAnswer } from "../support/sim-api-client.js";
import { startSimulatedNodes, type SimulatedNodes } from "../support/simulated-nodes.js";
import { tempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";
import { runTeardown } from "../support/teardown.js";

const namespace = "sim";
// Not the default scheduler's: the test binds these pods itself.
const schedulerName = "sim-test-binder";
const leases = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";
const microTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const podManifest = (name: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace, labels: { app: "sim" } },
  spec: {
    schedulerName,
    containers: [
      { name: "app", image: "busybox:1.36" },
      { name: "side", image: "registry.local/side:2" },
    ],
  },
});

function ok(what: string, answer: SimAnswer, ...statuses: number[]): SimAnswer {
  if (!statuses.includes(answer.status)) {
    throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 400)}`);
  }
  return answer;
}

describe("simulated nodes (kwok-like fixture) against berth controller", function () {
  this.timeout(300_000);
  let base: ReturnType<typeof tempDir> | undefined;
  let etcd: TestEtcd | undefined;
  let controller: ControllerProcess | undefined;
  let api: SimApiClient | undefined;
  let sim: SimulatedNodes | undefined;
  let tls: { ca: string; cert: string; key: string };
  let kube: { kubeconfig: string; cacheDir: string };

  const client = () => api!;
  const createPod = async (name: string) =>
    ok(
      `create pod ${name}`,
      await client().request("POST", `/api/v1/namespaces/${namespace}/pods`, podManifest(name)),
      201,
    ).body;
  const bind = async (pod: { metadata: { name: string; uid: string } }, node: string) =>
    ok(
      `bind ${pod.metadata.name} to ${node}`,
      await client().request(
        "POST",
        `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/binding`,
        {
          apiVersion: "v1",
          kind: "Binding",
          metadata: { name: pod.metadata.name, namespace, uid: pod.metadata.uid },
          target: { apiVersion: "v1", kind: "Node", name: node },
        },
      ),
      201,
    );
  const getPod = async (name: string) =>
    (await client().request("GET", `/api/v1/namespaces/${namespace}/pods/${name}`)).body;
  const renewTimes = async (names: string[]) => {
    const out: Record<string, string> = {};
    for (const name of names) {
      out[name] = ok(
        `lease ${name}`,
        await client().request("GET", `${leases}/${name}`),
        200,
      ).body.spec.renewTime;
    }
    return out;
  };

  before(async function () {
    requireIntegration(this, ["etcd", "openssl", "kubectl"]);
    base = tempDir("simulated-nodes");
    etcd = await startEtcd();
    controller = await startControllerProcess(base.path, etcd.endpoint);
    const layout = pkiLayout(path.join(base.path, "controller"));
    tls = {
      ca: readFileSync(layout.caCert, "utf8"),
      cert: readFileSync(layout.adminCert, "utf8"),
      key: readFileSync(layout.adminKey, "utf8"),
    };
    kube = { kubeconfig: controller.kubeconfig, cacheDir: path.join(base.path, "kube-cache") };
    api = new SimApiClient(controller.url, tls, 32);
    ok(
      "create namespace",
      await client().request("POST", "/api/v1/namespaces", { metadata: { name: namespace } }),
      201,
    );
    sim = await startSimulatedNodes({ url: controller.url, ...tls, count: 3, heartbeatSeconds: 1 });
  });

  after(async () => {
    const steps = [
      () => sim?.stop(),
      () => api?.close(),
      () => controller?.stop(),
      () => etcd?.stop(),
      () => base?.remove(),
    ];
    await runTeardown(steps);
  });

  it("registers nodes that kubectl lists as Ready, with the kubelet's labels and status", async () => {
    expect(sim!.names).to.deep.equal(["sim-1", "sim-2", "sim-3"]);
    const table = await kubectlOk(["get", "nodes", "-o", "wide", "--no-headers"], kube);
    const rows = table
      .trim()
      .split("\n")
      .map((line) => line.split(/\s+/));
    expect(rows.map((r) => r[0])).to.deep.equal(["sim-1", "sim-2", "sim-3"]);
    for (const row of rows) {
      expect(row[1], row.join(" ")).to.equal("Ready");
      expect(row).to.include("v1.32.4-berth-sim");
      expect(row.find((c) => c.startsWith("10.201."))).to.not.equal(undefined);
    }

    const node = JSON.parse(await kubectlOk(["get", "node", "sim-2", "-o", "json"], kube));
    expect(node.metadata.labels).to.include({
      "kubernetes.io/hostname": "sim-2",
      "kubernetes.io/os": "linux",
      type: "simulated",
    });
    expect(node.status.capacity).to.deep.equal({ cpu: "4", memory: "8Gi", pods: "110" });
    expect(node.status.allocatable).to.deep.equal(node.status.capacity);
    const conditions = Object.fromEntries(
      node.status.conditions.map((c: { type: string }) => [c.type, c]),
    );
    expect(conditions.Ready).to.include({ status: "True", reason: "KubeletReady" });
    expect(conditions.Ready.lastHeartbeatTime).to.be.a("string");
    for (const type of ["MemoryPressure", "DiskPressure", "PIDPressure"]) {
      expect(conditions[type].status, type).to.equal("False");
    }
    expect(node.status.addresses).to.deep.include({ type: "Hostname", address: "sim-2" });
    expect(node.status.nodeInfo).to.include({
      kubeletVersion: "v1.32.4-berth-sim",
      containerRuntimeVersion: "berth-sim://0.1",
      architecture: "amd64",
      operatingSystem: "linux",
    });
    expect(node.status.daemonEndpoints.kubeletEndpoint.Port).to.equal(10250);
  });

  it("makes a pod bound to a simulated node Running and Ready with its own IP", async () => {
    const pod = await createPod("web");
    expect(pod.status?.phase ?? "Pending").to.equal("Pending");
    await bind(pod, "sim-1");
    const running = await waitFor("web Running", async () => {
      const p = await getPod("web");
      return p.status?.phase === "Running" ? p : undefined;
    });
    const node = ok("node", await client().request("GET", "/api/v1/nodes/sim-1"), 200).body;
    const internalIP = node.status.addresses.find(
      (a: { type: string }) => a.type === "InternalIP",
    ).address;
    expect(running.status.hostIP).to.equal(internalIP);
    expect(running.status.podIP).to.match(/^10\.200\.\d+\.\d+$/);
    expect(running.status.podIPs).to.deep.equal([{ ip: running.status.podIP }]);
    expect(running.status.startTime).to.be.a("string");
    for (const type of ["PodScheduled", "Initialized", "ContainersReady", "Ready"]) {
      const condition = running.status.conditions.find((c: { type: string }) => c.type === type);
      expect(condition?.status, type).to.equal("True");
    }
    expect(running.status.containerStatuses).to.have.length(2);
    const app = running.status.containerStatuses.find((c: { name: string }) => c.name === "app");
    expect(app).to.include({
      image: "busybox:1.36",
      imageID: "sim://busybox:1.36",
      containerID: `sim://${pod.metadata.uid}-app`,
      ready: true,
      started: true,
      restartCount: 0,
    });
    expect(app.state.running.startedAt).to.be.a("string");
    expect(sim!.podsOn("sim-1")).to.deep.equal([`${namespace}/web`]);
    expect(sim!.podsOn("sim-2")).to.deep.equal([]);

    const wide = await kubectlOk(["get", "pod", "web", "-n", namespace, "-o", "wide"], kube);
    expect(wide).to.match(/web\s+2\/2\s+Running\s+0\s+\S+\s+10\.200\.\d+\.\d+\s+sim-1/);
  });

  it("finishes `kubectl delete pod` by deleting the terminating pod with grace 0", async () => {
    const deletesBefore = sim!.stats().deletes;
    const started = Date.now();
    const out = await kubectlOk(["delete", "pod", "web", "-n", namespace, "--timeout=60s"], kube);
    expect(out).to.include('pod "web" deleted');
    // The pod's grace period is 30 s: finishing well before it shows the fixture's final delete.
    expect(Date.now() - started).to.be.below(20_000);
    expect(
      (await client().request("GET", `/api/v1/namespaces/${namespace}/pods/web`)).status,
    ).to.equal(404);
    expect(sim!.stats().deletes).to.equal(deletesBefore + 1);
    await waitFor("web forgotten", async () =>
      sim!.podsOn("sim-1").length === 0 ? true : undefined,
    );
  });

  it("holds a Lease per node, owned by the Node, renewed every heartbeat", async () => {
    const node = ok("node", await client().request("GET", "/api/v1/nodes/sim-3"), 200).body;
    const lease = ok("lease", await client().request("GET", `${leases}/sim-3`), 200).body;
    expect(lease.spec).to.include({ holderIdentity: "sim-3", leaseDurationSeconds: 40 });
    expect(lease.spec.renewTime).to.match(microTime);
    expect(lease.metadata.ownerReferences).to.deep.equal([
      { apiVersion: "v1", kind: "Node", name: "sim-3", uid: node.metadata.uid },
    ]);
    const before = await renewTimes(sim!.names);
    await sleep(2_500);
    const after = await renewTimes(sim!.names);
    for (const name of sim!.names) expect(after[name] > before[name], name).to.equal(true);
    const ready = (n: { status: { conditions: Array<{ type: string }> } }) =>
      n.status.conditions.find((c) => c.type === "Ready") as Record<string, string>;
    const first = ready(node);
    const beat = await waitFor(
      "a Ready heartbeat on sim-3 (every 4 lease renewals)",
      async () => {
        const now = ok("node", await client().request("GET", "/api/v1/nodes/sim-3"), 200).body;
        const condition = ready(now);
        return condition.lastHeartbeatTime > first.lastHeartbeatTime ? condition : undefined;
      },
      10_000,
    );
    expect(beat).to.include({ status: "True", lastTransitionTime: first.lastTransitionTime });
    const listed = await kubectlOk(
      ["get", "leases", "-n", "kube-node-lease", "--no-headers"],
      kube,
    );
    expect(listed).to.match(/^sim-1\s+sim-1\s/m);
  });

  it("pauses one node's heartbeats and pod handling, and picks up again on resume", async () => {
    sim!.pauseHeartbeats("sim-2");
    await sleep(1_500); // let a renewal already on its way land
    const before = await renewTimes(sim!.names);
    const pod = await createPod("while-down");
    await bind(pod, "sim-2");
    await sleep(3_000);
    const after = await renewTimes(sim!.names);
    expect(after["sim-2"]).to.equal(before["sim-2"]);
    expect(after["sim-1"] > before["sim-1"]).to.equal(true);
    expect(after["sim-3"] > before["sim-3"]).to.equal(true);
    expect((await getPod("while-down")).status?.phase).to.equal("Pending");

    sim!.resumeHeartbeats("sim-2");
    await waitFor("sim-2 renewing again", async () =>
      (await renewTimes(["sim-2"]))["sim-2"] > before["sim-2"] ? true : undefined,
    );
    await waitFor("while-down Running", async () =>
      (await getPod("while-down")).status?.phase === "Running" ? true : undefined,
    );
    expect(() => sim!.pauseHeartbeats("nosuch")).to.throw(/no node named "nosuch"/);
  });

  it("takes over its Nodes and Leases when started again, leaving Running pods alone", async () => {
    const node = ok("node", await client().request("GET", "/api/v1/nodes/sim-2"), 200).body;
    const podIP = (await getPod("while-down")).status.podIP;
    await sim!.stop();
    const before = await renewTimes(["sim-2"]);
    sim = await startSimulatedNodes({
      url: controller!.url,
      ...tls,
      count: 3,
      heartbeatSeconds: 1,
      labels: { restarted: "yes" },
    });
    const again = ok("node", await client().request("GET", "/api/v1/nodes/sim-2"), 200).body;
    expect(again.metadata.uid).to.equal(node.metadata.uid);
    expect(again.metadata.labels).to.include({ restarted: "yes", type: "simulated" });
    await waitFor("sim-2 renewed by the new fixture", async () =>
      (await renewTimes(["sim-2"]))["sim-2"] > before["sim-2"] ? true : undefined,
    );
    expect(sim!.podsOn("sim-2")).to.deep.equal([`${namespace}/while-down`]);
    expect(sim!.stats().statusPatches).to.equal(0);

    // A new run's addresses start over: they must pass by the one while-down still holds.
    const ips: string[] = [];
    for (const name of ["after-restart-1", "after-restart-2"]) {
      await bind(await createPod(name), "sim-2");
      const running = await waitFor(`${name} Running`, async () => {
        const p = await getPod(name);
        return p.status?.phase === "Running" ? p : undefined;
      });
      ips.push(running.status.podIP);
    }
    expect(ips).to.not.include(podIP);
    expect(new Set(ips).size).to.equal(2);
  });

  it("lists pods again after its watch drops (controller restart) and keeps working", async () => {
    const lists = sim!.stats().podLists;
    const port = controller!.port;
    await controller!.stop();
    controller = await startControllerProcess(base!.path, etcd!.endpoint, { port });
    await waitFor("a new pod list", async () => (sim!.stats().podLists > lists ? true : undefined));
    await bind(await createPod("after-controller-restart"), "sim-3");
    await waitFor("after-controller-restart Running", async () =>
      (await getPod("after-controller-restart")).status?.phase === "Running" ? true : undefined,
    );
    const before = await renewTimes(sim!.names);
    await sleep(2_000);
    const after = await renewTimes(sim!.names);
    for (const name of sim!.names) expect(after[name] > before[name], name).to.equal(true);
  });

  it("rejects bad options with an error naming the field", async () => {
    const good = { url: controller!.url, ...tls, count: 1 };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ count: 0 }, /count must be an integer from 1 to 65000, not 0/],
      [{ url: "http://127.0.0.1:1" }, /url must be an https:\/\/ URL/],
      [{ podIpBase: "10.300" }, /podIpBase must be one to three IPv4 octets/],
      [{ heartbeatSeconds: -1 }, /heartbeatSeconds must be a number of seconds above 0/],
      [{ namePrefix: "Sim_" }, /namePrefix must be lowercase letters/],
      [{ capacity: { cpu: 4 } }, /capacity.cpu must be a quantity string/],
    ];
    for (const [bad, message] of cases) {
      const failure = await startSimulatedNodes({ ...good, ...bad } as never).then(
        () => new Error(`accepted ${JSON.stringify(bad)}`),
        (err: Error) => err,
      );
      expect(failure.message).to.match(message);
      const field = (failure as { field?: string }).field ?? "";
      expect(field.split(".")[0]).to.equal(Object.keys(bad)[0]);
    }
  });

  it("runs 2000 pods bound round-robin over 200 simulated nodes", async () => {
    const nodeCount = Number(process.env.SIM_NODES ?? 200);
    const podCount = Number(process.env.SIM_PODS ?? 2000);
    const t0 = Date.now();
    const scale = await startSimulatedNodes({
      url: controller!.url,
      ...tls,
      count: nodeCount,
      namePrefix: "scale-",
      labels: (_name, i) => ({ "topology.kubernetes.io/zone": `zone-${i % 3}` }),
    });
    try {
      const registered = Date.now() - t0;
      const ready = await kubectlOk(["get", "nodes", "-l", "type=simulated", "--no-headers"], kube);
      expect(ready.split("\n").filter((l) => /^scale-\d+\s+Ready\s/.test(l))).to.have.length(
        nodeCount,
      );

      const t1 = Date.now();
      const names = Array.from({ length: podCount }, (_, i) => `load-${i}`);
      await Promise.all(
        names.map(async (name, i) => bind(await createPod(name), scale.names[i % nodeCount])),
      );
      const bound = Date.now() - t1;
      const patchedWhenBound = scale.stats().statusPatches;
      // Cheap to poll; the list below then checks what the API really holds.
      await waitFor(
        "a status patch per load pod",
        async () => (scale.stats().statusPatches >= podCount ? true : undefined),
        180_000,
      );
      const allRunning = Date.now() - t1;
      const pods = (
        ok(
          "list pods",
          await client().request(
            "GET",
            `/api/v1/namespaces/${namespace}/pods?labelSelector=app%3Dsim`,
          ),
          200,
        ).body.items as Array<{
          metadata: { name: string };
          spec: { nodeName: string };
          status: { phase: string; podIP?: string };
        }>
      ).filter((p) => p.metadata.name.startsWith("load-"));
      expect(pods).to.have.length(podCount);
      expect(
        pods.filter((p) => p.status.phase !== "Running").map((p) => p.metadata.name),
      ).to.deep.equal([]);
      console.log(
        `      ${nodeCount} nodes registered in ${registered} ms; ${podCount} pods created+bound in ` +
          `${bound} ms (${patchedWhenBound} already Running then), all Running ${allRunning} ms ` +
          `after the first create ` +
          `(${Math.round((podCount * 1000) / allRunning)} pods/s); fixture stats ${JSON.stringify(scale.stats())}`,
      );
      expect(new Set(pods.map((p) => p.status.podIP)).size).to.equal(podCount);
      for (const p of pods) {
        const i = Number(p.metadata.name.slice("load-".length));
        expect(p.spec.nodeName).to.equal(scale.names[i % nodeCount]);
      }
      expect(scale.podsOn("scale-1")).to.have.length(Math.ceil(podCount / nodeCount));
      expect(scale.stats().statusPatches).to.equal(podCount);
      expect(allRunning).to.be.below(120_000);

      // Renewals are spread over the 10 s period, not all at once.
      const registeredAt = t0 + registered;
      const renewals = await waitFor(
        "every scale node's first lease renewal",
        async () => {
          const items = ok("leases", await client().request("GET", leases), 200).body
            .items as Array<{ metadata: { name: string }; spec: { renewTime: string } }>;
          const times = items
            .filter((l) => l.metadata.name.startsWith("scale-"))
            .map((l) => Date.parse(l.spec.renewTime));
          return times.length === nodeCount && times.every((t) => t > registeredAt)
            ? times
            : undefined;
        },
        30_000,
      );
      const seconds = new Set(renewals.map((t) => Math.floor((t % 10_000) / 1000)));
      expect(seconds.size, `renewals fall in ${[...seconds]}`).to.be.at.least(8);
    } finally {
      await scale.stop({ deleteNodes: true });
    }
    const left = await kubectl(["get", "nodes", "-l", "type=simulated", "-o", "name"], kube);
    expect(left.stdout.split("\n").filter((l) => l.startsWith("node/scale-"))).to.deep.equal([]);
  });
});
