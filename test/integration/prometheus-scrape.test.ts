import { expect } from "chai";
import { readFile } from "node:fs/promises";
import https from "node:https";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Pod } from "../../agent/kube/types.js";
import { pkiLayout } from "../../controller/pki/pki-layout.js";
import { kubeletClusterForSuite, type KubeletCluster } from "../support/kubelet-cluster.js";
import { busyboxContainer, podManifest } from "../support/kubelet-pods.js";
import { requireIntegration } from "../support/prerequisites.js";
import { startPrometheus, type PrometheusServer } from "../support/prometheus-server.js";
import { promtoolCheckMetrics } from "../support/promtool.js";
import {
  startVictoriaMetrics,
  type VictoriaMetricsServer,
} from "../support/victoria-metrics-server.js";
import { waitFor } from "../support/wait-for.js";

const ns = "prometheus-test";
const burner = "burner";
const jobs = ["berth-controller", "berth-kubelet", "berth-cadvisor"];

/**
 * Real Prometheus tooling against a real one-node cluster. Scraping and PromQL use Debian's
 * Prometheus, which Debian builds without kubernetes_sd_configs, so its targets are static.
 * Discovery — list and watch of nodes and pods by a client nobody here wrote — uses Debian's
 * VictoriaMetrics, whose Prometheus-compatible promscrape has its own Kubernetes SD client.
 */

/** TLS to the controller and to the agent's kubelet API, with the admin client certificate. */
function tlsConfigs(cluster: KubeletCluster) {
  const pki = pkiLayout(path.join(cluster.base.path, "controller"));
  const client = { cert_file: pki.adminCert, key_file: pki.adminKey };
  const kubeletCa = path.join(cluster.base.path, "root", "pki", "kubelet.crt");
  return {
    toController: { ca_file: pki.caCert, ...client },
    toKubelet: { ca_file: kubeletCa, ...client },
  };
}

/**
 * prometheus.yml for the cluster: the controller's /metrics and the agent's /metrics and
 * /metrics/cadvisor as static HTTPS targets.
 */
function scrapeConfig(cluster: KubeletCluster) {
  const { toController, toKubelet } = tlsConfigs(cluster);
  const kubelet = `127.0.0.1:${cluster.kubeletPort}`;
  const job = (name: string, target: string, metricsPath: string, tls: object) => ({
    job_name: name,
    scheme: "https",
    metrics_path: metricsPath,
    tls_config: tls,
    static_configs: [{ targets: [target] }],
  });
  return {
    global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" },
    scrape_configs: [
      job("berth-controller", `127.0.0.1:${cluster.controller.port}`, "/metrics", toController),
      job("berth-kubelet", kubelet, "/metrics", toKubelet),
      job("berth-cadvisor", kubelet, "/metrics/cadvisor", toKubelet),
    ],
  };
}

/**
 * VictoriaMetrics' scrape config: kubernetes_sd_configs (role node and role pod) against the
 * controller's API. The node role's __address__ is the Node's InternalIP with its
 * status.daemonEndpoints.kubeletEndpoint.Port, so each discovered node's kubelet /metrics is
 * scraped over HTTPS. The test namespace's pods are discovered too; busybox serves no metrics, so
 * their targets are down, which the test does not judge.
 */
function discoveryConfig(cluster: KubeletCluster) {
  const { toController, toKubelet } = tlsConfigs(cluster);
  const sd = (role: string) => [
    { role, api_server: cluster.controller.url, tls_config: toController },
  ];
  return {
    global: { scrape_interval: "1s", scrape_timeout: "1s" },
    scrape_configs: [
      {
        job_name: "kubernetes-nodes",
        scheme: "https",
        metrics_path: "/metrics",
        tls_config: toKubelet,
        kubernetes_sd_configs: sd("node"),
      },
      {
        job_name: "kubernetes-pods",
        kubernetes_sd_configs: sd("pod"),
        relabel_configs: [
          { action: "keep", source_labels: ["__meta_kubernetes_namespace"], regex: ns },
        ],
      },
    ],
  };
}

describe("Prometheus scrapes a Berth cluster", function () {
  this.timeout(240_000);
  const cluster = kubeletClusterForSuite(ns);
  let prometheus: PrometheusServer | undefined;
  const prom = () => prometheus!;

  before(async function () {
    requireIntegration(this, ["prometheus", "promtool"]);
    prometheus = await startPrometheus(scrapeConfig(cluster));
    await runPod(cluster, burner, burnSomeCpu);
  });
  after(() => prometheus?.stop());
  afterEach(function () {
    if (this.currentTest?.state === "failed" && prometheus) {
      console.log(`prometheus log (tail):\n${prometheus.log().slice(-6000)}`);
    }
  });

  it("scrapes the controller's and the agent's /metrics, which pass promtool check metrics", async () => {
    await prom().waitForTargetsUp(["berth-controller", "berth-kubelet"]);
    // What it scraped is queryable: the controller counted the pod requests of kubectl and the agent.
    const requests = await waitFor("apiserver_request_total for pods in Prometheus", async () => {
      const [s] = await prom().query(
        'sum(apiserver_request_total{job="berth-controller",resource="pods"})',
      );
      return s && s.value > 0 ? s.value : undefined;
    });
    expect(requests).to.be.greaterThan(0);
    const checks = {
      "controller /metrics": await promtoolCheckMetrics(await controllerGet(cluster, "/metrics")),
      "agent /metrics": await promtoolCheckMetrics(await kubeletMetrics(cluster, "/metrics")),
    };
    expect(checks).to.deep.equal({
      "controller /metrics": { code: 0, output: "" },
      "agent /metrics": { code: 0, output: "" },
    });
  });

  it("scrapes /metrics/cadvisor, which passes promtool check metrics; every target is up", async () => {
    await prom().waitForTargetsUp(jobs);
    const check = await promtoolCheckMetrics(await kubeletMetrics(cluster, "/metrics/cadvisor"));
    expect(check, check.output).to.deep.equal({ code: 0, output: "" });
    const down = (await prom().targets()).activeTargets.filter((t) => t.health !== "up");
    expect(down.map((t) => `${t.scrapeUrl} ${t.lastError}`)).to.deep.equal([]);
  });

  it("PromQL finds the running pod's working set > 0 and its CPU counter increasing", async () => {
    const selector = `{job="berth-cadvisor",namespace="${ns}",pod="${burner}",container="work"}`;
    const one = async (promql: string) => {
      const samples = await prom().query(promql);
      expect(samples, `${promql}: ${JSON.stringify(samples)}`).to.have.length.at.most(1);
      return samples[0]?.value;
    };
    const workingSet = await waitFor("the working set series", () =>
      one(`container_memory_working_set_bytes${selector}`),
    );
    expect(workingSet).to.be.greaterThan(0);
    const [series] = await prom().query(`container_memory_working_set_bytes${selector}`);
    expect(series.metric.image).to.match(/busybox/);
    expect(series.metric.id, "the cgroup path").to.match(/^\/.+/);
    expect(series.metric.name, "the runtime's container name").to.not.equal(undefined);
    const before = await waitFor("the CPU counter", () =>
      one(`container_cpu_usage_seconds_total${selector}`),
    );
    await sleep(4_000);
    const after = await one(`container_cpu_usage_seconds_total${selector}`);
    expect(after).to.be.greaterThan(before);
    const rate = await one(`rate(container_cpu_usage_seconds_total${selector}[10s])`);
    expect(rate).to.be.greaterThan(0);
  });

  it("VictoriaMetrics discovers the node and pods by list and watch, and scrapes the node's kubelet", async function () {
    requireIntegration(this, ["victoria-metrics"]);
    const vm = await startVictoriaMetrics(discoveryConfig(cluster));
    try {
      await discoversThroughListAndWatch(cluster, vm);
    } catch (err) {
      console.log(`victoria-metrics log (tail):\n${vm.log().slice(-6000)}`);
      throw err;
    } finally {
      await vm.stop();
    }
  });
});

/**
 * The node is discovered and its kubelet scraped up; the running pod is discovered; a pod created
 * afterwards appears and, once deleted, disappears — with no second list of pods, so through the
 * watch.
 */
async function discoversThroughListAndWatch(cluster: KubeletCluster, vm: VictoriaMetricsServer) {
  const node = await waitFor(
    "the node target, scraped up",
    async () => {
      const t = (await vm.targets()).activeTargets.find((a) => a.scrapePool === "kubernetes-nodes");
      return t?.health === "up" ? t : undefined;
    },
    60_000,
  ).catch(async (err: Error) => {
    throw new Error(`${err.message}: ${JSON.stringify(await vm.targets())}`);
  });
  expect(node.discoveredLabels).to.include({
    __meta_kubernetes_node_name: cluster.nodeName,
    __meta_kubernetes_node_address_InternalIP: "127.0.0.1",
    __address__: `127.0.0.1:${cluster.kubeletPort}`,
  });
  expect(node.scrapeUrl).to.equal(`https://127.0.0.1:${cluster.kubeletPort}/metrics`);
  const [up] = await waitFor("the node's up sample", async () => {
    const samples = await vm.query(`up{job="kubernetes-nodes"}`);
    return samples.length > 0 ? samples : undefined;
  });
  expect(up.metric.instance, "the node role's instance label").to.equal(cluster.nodeName);
  expect(up.value).to.equal(1);

  const running = await cluster.admin.get<Pod>(`/api/v1/namespaces/${ns}/pods/${burner}`);
  expect(
    (await waitFor(`pod ${burner} discovered`, () => podTarget(vm, burner))).discoveredLabels,
  ).to.include({
    __meta_kubernetes_pod_name: burner,
    __meta_kubernetes_namespace: ns,
    __meta_kubernetes_pod_ip: running.status?.podIP,
    __meta_kubernetes_pod_node_name: cluster.nodeName,
  });
  const lists = podLists(vm);
  expect(lists, "VictoriaMetrics listed pods").to.be.greaterThan(0);

  const late = await runPod(cluster, "late", "while true; do sleep 1; done");
  const lateTarget = await waitFor("the late pod discovered", () => podTarget(vm, "late"), 30_000);
  expect(lateTarget.discoveredLabels).to.include({
    __meta_kubernetes_pod_name: "late",
    __meta_kubernetes_namespace: ns,
    __meta_kubernetes_pod_ip: late.status?.podIP,
    __meta_kubernetes_pod_uid: late.metadata?.uid,
  });
  await cluster.kubectlOk(["delete", "pod", "late", "-n", ns, "--wait=false"]);
  await waitFor(
    "the late pod's target gone",
    async () => ((await podTarget(vm, "late")) ? undefined : true),
    60_000,
  );
  expect(podLists(vm), "pods listed again instead of watched").to.equal(lists);
}

/** The active target VictoriaMetrics discovered for pod `name` of the test namespace. */
async function podTarget(vm: VictoriaMetricsServer, name: string) {
  return (await vm.targets()).activeTargets.find(
    (t) =>
      t.scrapePool === "kubernetes-pods" && t.discoveredLabels.__meta_kubernetes_pod_name === name,
  );
}

/** How often VictoriaMetrics (re)loaded the pod list: it logs each list it reads. */
function podLists(vm: VictoriaMetricsServer): number {
  return vm
    .log()
    .split("\n")
    .filter((line) => /reloaded \d+ objects from ".*\/api\/v1\/pods/.test(line)).length;
}

/** Applies a one-container busybox pod running `script` and waits until it runs. */
async function runPod(cluster: KubeletCluster, name: string, script: string): Promise<Pod> {
  const work = busyboxContainer("work", ["/bin/sh", "-c", `trap 'exit 0' TERM; ${script}`]);
  await cluster.kubectlOk(["apply", "-f", "-"], JSON.stringify(podManifest(ns, name, [work])));
  return waitFor(
    `pod ${name} to run`,
    async () => {
      const pod = await cluster.admin
        .get<Pod>(`/api/v1/namespaces/${ns}/pods/${name}`)
        .catch(() => undefined);
      return pod?.status?.phase === "Running" ? pod : undefined;
    },
    60_000,
  );
}

/** A shell loop that spends a little CPU every second (a counter that must visibly grow). */
const burnSomeCpu =
  "while true; do i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 1; done";

async function kubeletMetrics(cluster: KubeletCluster, urlPath: string): Promise<string> {
  const res = await cluster.kubeletGet(urlPath);
  expect(res.status, `${urlPath}: ${res.body}`).to.equal(200);
  return res.body;
}

/** A GET on the controller's API as the admin (its client certificate). */
async function controllerGet(cluster: KubeletCluster, urlPath: string): Promise<string> {
  const pki = pkiLayout(path.join(cluster.base.path, "controller"));
  const [ca, cert, key] = await Promise.all(
    [pki.caCert, pki.adminCert, pki.adminKey].map((f) => readFile(f, "utf8")),
  );
  return new Promise((resolve, reject) => {
    https
      .get(`${cluster.controller.url}${urlPath}`, { ca, cert, key, agent: false }, (res) => {
        let body = "";
        res.on("data", (b: Buffer) => (body += b.toString()));
        res.on("end", () =>
          res.statusCode === 200
            ? resolve(body)
            : reject(new Error(`${urlPath}: ${res.statusCode} ${body}`)),
        );
      })
      .on("error", reject);
  });
}
