import { expect } from "chai";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { pkiLayout } from "../../controller/pki/pki-layout.js";
import { berthBin } from "../support/berth-process.js";
import { startControllerProcess, type ControllerProcess } from "../support/controller-process.js";
import { startEtcd, type TestEtcd } from "../support/etcd-server.js";
import { kubectlOk } from "../support/kubectl.js";
import { requireIntegration } from "../support/prerequisites.js";
import { SimApiClient, type SimAnswer } from "../support/sim-api-client.js";
import { startSimulatedNodes, type SimulatedNodes } from "../support/simulated-nodes.js";
import { tempDir } from "../support/temp-dir.js";
import { waitFor } from "../support/wait-for.js";
import { runTeardown } from "../support/teardown.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- API answers are loosely typed JSON */

const namespace = "lifecycle";
const graceSeconds = 3;
const tolerationSeconds = 5;
const down = "life-2";
const unreachable = "node.kubernetes.io/unreachable";
const podsPath = `/api/v1/namespaces/${namespace}/pods`;

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace },
  spec: {
    replicas: 6,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        containers: [
          { name: "web", image: "busybox:1.36", resources: { requests: { cpu: "100m" } } },
        ],
      },
    },
  },
};

/** A pod placed on `nodeName` directly, tolerating the unreachable taint as given. */
const pinnedPod = (name: string, nodeName: string, seconds?: number) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace, labels: { app: "pinned" } },
  spec: {
    nodeName,
    containers: [{ name: "app", image: "busybox:1.36" }],
    tolerations: [
      {
        key: unreachable,
        operator: "Exists",
        effect: "NoExecute",
        ...(seconds === undefined ? {} : { tolerationSeconds: seconds }),
      },
    ],
  },
});

function ok(what: string, answer: SimAnswer, ...statuses: number[]): SimAnswer {
  if (!statuses.includes(answer.status)) {
    throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 400)}`);
  }
  return answer;
}

const condition = (obj: any, type: string) =>
  (obj.status?.conditions ?? []).find((c: any) => c.type === type);

describe("node lifecycle: unreachable nodes are tainted and their pods evicted (controller process)", function () {
  this.timeout(180_000);
  let base: ReturnType<typeof tempDir> | undefined;
  let etcd: TestEtcd | undefined;
  let controller: ControllerProcess | undefined;
  let api: SimApiClient | undefined;
  let sim: SimulatedNodes | undefined;
  let kube: { kubeconfig: string; cacheDir: string };
  let pausedAt = 0;
  let taintedAt = 0;

  const client = () => api!;
  const get = async (p: string) => ok(`GET ${p}`, await client().request("GET", p), 200).body;
  const getPod = async (name: string) => {
    const answer = await client().request("GET", `${podsPath}/${name}`);
    return answer.status === 404 ? undefined : ok(`pod ${name}`, answer, 200).body;
  };
  const webPods = async () => (await get(`${podsPath}?labelSelector=app%3Dweb`)).items as any[];
  const events = async (reason: string) =>
    ((await get(`/api/v1/namespaces/${namespace}/events`)).items as any[]).filter(
      (e) => e.reason === reason,
    );
  const nodeRow = async (name: string) =>
    (await kubectlOk(["get", "nodes", "--no-headers"], kube))
      .split("\n")
      .map((line) => line.split(/\s+/))
      .find((row) => row[0] === name);

  before(async function () {
    requireIntegration(this, ["etcd", "openssl", "kubectl"]);
    base = tempDir("node-lifecycle");
    etcd = await startEtcd();
    controller = await startControllerProcess(base.path, etcd.endpoint, {
      args: [
        "--node-monitor-grace-period",
        `${graceSeconds}s`,
        "--default-not-ready-toleration-seconds",
        String(tolerationSeconds),
        "--default-unreachable-toleration-seconds",
        String(tolerationSeconds),
      ],
    });
    const layout = pkiLayout(path.join(base.path, "controller"));
    const tls = {
      ca: readFileSync(layout.caCert, "utf8"),
      cert: readFileSync(layout.adminCert, "utf8"),
      key: readFileSync(layout.adminKey, "utf8"),
    };
    kube = { kubeconfig: controller.kubeconfig, cacheDir: path.join(base.path, "kube-cache") };
    api = new SimApiClient(controller.url, tls, 16);
    for (const name of [namespace, "default"]) {
      ok(
        `create namespace ${name}`,
        await client().request("POST", "/api/v1/namespaces", { metadata: { name } }),
        201,
        409,
      );
    }
    sim = await startSimulatedNodes({
      url: controller.url,
      ...tls,
      count: 3,
      namePrefix: "life-",
      heartbeatSeconds: 1,
    });
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

  it("gives new pods the default not-ready and unreachable tolerations, as kubectl shows them", async () => {
    ok(
      "create deployment",
      await client().request(
        "POST",
        `/apis/apps/v1/namespaces/${namespace}/deployments`,
        deployment,
      ),
      201,
    );
    const pods = await waitFor(
      "6 web pods Running and Ready",
      async () => {
        const items = await webPods();
        const ready = items.filter(
          (p) => p.status?.phase === "Running" && condition(p, "Ready")?.status === "True",
        );
        return ready.length === 6 ? ready : undefined;
      },
      60_000,
    );
    expect(
      pods.filter((p) => p.spec.nodeName === down).length,
      "web pods on the node to stop",
    ).to.be.at.least(1);
    const yaml = await kubectlOk(
      ["get", "pod", pods[0].metadata.name, "-n", namespace, "-o", "yaml"],
      kube,
    );
    expect(yaml).to.include(
      [
        "  tolerations:",
        "  - effect: NoExecute",
        "    key: node.kubernetes.io/not-ready",
        "    operator: Exists",
        `    tolerationSeconds: ${tolerationSeconds}`,
        "  - effect: NoExecute",
        "    key: node.kubernetes.io/unreachable",
        "    operator: Exists",
        `    tolerationSeconds: ${tolerationSeconds}`,
        "",
      ].join("\n"),
    );

    // Pods on the node to stop: one tolerating it for good, one not at all (0 s), one for a minute.
    for (const [name, seconds] of [
      ["stays", undefined],
      ["zero", 0],
      ["patient", 60],
    ] as const) {
      const created = ok(
        `create ${name}`,
        await client().request("POST", podsPath, pinnedPod(name, down, seconds)),
        201,
      );
      // The pod's own unreachable toleration stands; only not-ready is added.
      expect(
        created.body.spec.tolerations.map((t: any) => `${t.key}=${t.tolerationSeconds}`),
      ).to.deep.equal([
        `${unreachable}=${seconds}`,
        `node.kubernetes.io/not-ready=${tolerationSeconds}`,
      ]);
    }
    await waitFor("pinned pods Ready", async () => {
      const ready = await Promise.all(
        ["stays", "zero", "patient"].map(
          async (n) => condition(await getPod(n), "Ready")?.status === "True",
        ),
      );
      return ready.every(Boolean) ? true : undefined;
    });
  });

  it("marks a node whose heartbeats stop NotReady after the grace period, Unknown and tainted unreachable", async () => {
    pausedAt = Date.now();
    sim!.pauseHeartbeats(down);
    await waitFor(
      "kubectl get nodes to show the node NotReady",
      async () => ((await nodeRow(down))?.[1] === "NotReady" ? true : undefined),
      graceSeconds * 1000 + 15_000,
    );
    const detected = Date.now() - pausedAt;
    // Not before the grace period (less the last renewal, which may have come up to a heartbeat before the pause).
    expect(detected).to.be.at.least((graceSeconds - 1) * 1000);
    for (const name of ["life-1", "life-3"])
      expect((await nodeRow(name))?.[1], name).to.equal("Ready");

    const node = await waitFor("the unreachable taints", async () => {
      const n = await get(`/api/v1/nodes/${down}`);
      return (n.spec?.taints ?? []).length === 2 ? n : undefined;
    });
    for (const type of ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]) {
      expect(condition(node, type), type).to.include({
        status: "Unknown",
        reason: "NodeStatusUnknown",
        message: "Kubelet stopped posting node status.",
      });
    }
    expect(node.spec.taints.map((t: any) => `${t.key}:${t.effect}`)).to.have.members([
      `${unreachable}:NoExecute`,
      `${unreachable}:NoSchedule`,
    ]);
    const noExecute = node.spec.taints.find((t: any) => t.effect === "NoExecute");
    taintedAt = Date.parse(noExecute.timeAdded);
    expect(taintedAt).to.be.within(pausedAt - 1000, Date.now());
    const described = await kubectlOk(["describe", "node", down], kube);
    expect(described).to.match(new RegExp(`Taints:\\s+${unreachable}:NoExecute`));
  });

  it("evicts a pod tolerating the taint 0 s at once, and the rest only when their time runs out", async () => {
    const zero = await waitFor(
      "zero evicted",
      async () => {
        const p = await getPod("zero");
        return !p || p.metadata.deletionTimestamp ? (p ?? {}) : undefined;
      },
      10_000,
    );
    expect(Date.now() - taintedAt).to.be.below(tolerationSeconds * 1000);
    if (zero.status) {
      expect(condition(zero, "DisruptionTarget")).to.include({
        status: "True",
        reason: "DeletionByTaintManager",
      });
    }

    // Before the tolerations run out: the node's pods are there, marked not Ready, and the
    // Deployment counts them as unavailable.
    const onNode = (await webPods()).filter((p) => p.spec.nodeName === down);
    const dueAt = taintedAt + tolerationSeconds * 1000;
    let available: number | undefined;
    while (Date.now() < dueAt - 1000) {
      const d = await get(`/apis/apps/v1/namespaces/${namespace}/deployments/web`);
      available = d.status?.availableReplicas;
      if (available === 6 - onNode.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(available, "available replicas while the node is unreachable").to.equal(
      6 - onNode.length,
    );
    expect(Date.now(), "checked before the tolerations ran out").to.be.below(dueAt - 500);
    for (const p of onNode) {
      const now = await getPod(p.metadata.name);
      expect(now.metadata.deletionTimestamp, p.metadata.name).to.equal(undefined);
      expect(condition(now, "Ready").status, p.metadata.name).to.equal("False");
    }

    // Their time runs out: evicted (Terminating: the node is not there to finish), replaced elsewhere.
    await waitFor(
      "the node's web pods evicted",
      async () => {
        const pods = await Promise.all(onNode.map((p) => getPod(p.metadata.name)));
        return pods.every((p) => !p || p.metadata.deletionTimestamp) ? true : undefined;
      },
      20_000,
    );
    expect(Date.now()).to.be.at.least(dueAt - 1000);
    const replaced = await waitFor(
      "6 web pods Ready again, none on the node",
      async () => {
        const live = (await webPods()).filter((p) => !p.metadata.deletionTimestamp);
        const ready = live.filter((p) => condition(p, "Ready")?.status === "True");
        return ready.length === 6 && live.length === 6 ? live : undefined;
      },
      60_000,
    );
    expect(replaced.map((p) => p.spec.nodeName)).to.not.include(down);
    const evictions = (await events("TaintManagerEviction")).map((e) => e.message);
    for (const name of ["zero", ...onNode.map((p) => p.metadata.name)]) {
      expect(evictions).to.include(`Marking for deletion Pod ${namespace}/${name}`);
    }

    const stays = await getPod("stays");
    expect(stays.metadata.deletionTimestamp).to.equal(undefined);
    expect(condition(stays, "Ready").status).to.equal("False");
    expect((await getPod("patient")).metadata.deletionTimestamp).to.equal(undefined);
  });

  it("removes the taints when the node is back, and cancels the pending eviction", async () => {
    sim!.resumeHeartbeats(down);
    await waitFor(
      "the node Ready again",
      async () => ((await nodeRow(down))?.[1] === "Ready" ? true : undefined),
      20_000,
    );
    await waitFor("its taints gone", async () => {
      const n = await get(`/api/v1/nodes/${down}`);
      return (n.spec?.taints ?? []).length === 0 ? true : undefined;
    });
    const cancelled = await waitFor("the cancel event", async () => {
      const found = (await events("TaintManagerEviction")).filter((e) =>
        e.message.startsWith("Cancelling"),
      );
      return found.length > 0 ? found : undefined;
    });
    expect(cancelled.map((e) => e.message)).to.deep.equal([
      `Cancelling deletion of Pod ${namespace}/patient`,
    ]);
    // Back up, the node finishes deleting its evicted pods; the ones that tolerated stay.
    await waitFor(
      "the evicted pods gone",
      async () => {
        const pods = (await webPods()).filter((p) => p.spec.nodeName === down);
        return pods.length === 0 && !(await getPod("zero")) ? true : undefined;
      },
      20_000,
    );
    for (const name of ["stays", "patient"]) {
      expect((await getPod(name))?.metadata.deletionTimestamp, name).to.equal(undefined);
    }
  });

  it("rejects bad node lifecycle flags, naming the flag", async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ["--node-monitor-grace-period", "soon"],
        /--node-monitor-grace-period: "soon" is not a duration/,
      ],
      [
        ["--node-monitor-grace-period", "0s"],
        /--node-monitor-grace-period: "0s" must be from 1ms to 24h/,
      ],
      [
        ["--default-not-ready-toleration-seconds", "-1"],
        /--default-not-ready-toleration-seconds: "-1" is not a number of seconds/,
      ],
      [
        ["--default-unreachable-toleration-seconds", "1.5"],
        /--default-unreachable-toleration-seconds: "1.5" is not a number of seconds/,
      ],
    ];
    for (const [flags, message] of cases) {
      const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        execFile(
          berthBin,
          [
            "controller",
            "--etcd-servers",
            etcd!.endpoint,
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            path.join(base!.path, "bad"),
            ...flags,
          ],
          { timeout: 20_000 },
          (err, _stdout, stderr) =>
            resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr }),
        );
      });
      expect(result.code, flags.join(" ")).to.equal(1);
      expect(result.stderr).to.match(message);
    }
    const help = await new Promise<{ stdout: string; why: string }>((resolve) =>
      execFile(berthBin, ["controller", "--help"], (err, stdout, stderr) =>
        resolve({ stdout, why: `${String(err)} ${stderr}` }),
      ),
    );
    expect(help.stdout, help.why).to.match(
      /--node-monitor-grace-period <duration>[\s\S]*\(default: "40s"\)/,
    );
    expect(help.stdout).to.match(
      /--default-not-ready-toleration-seconds <n>[\s\S]*\(default: "300"\)/,
    );
    expect(help.stdout).to.match(
      /--default-unreachable-toleration-seconds <n>[\s\S]*\(default: "300"\)/,
    );
  });
});
