import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import https from "node:https";
import path from "node:path";
import { pkiLayout } from "../../controller/pki/pki-layout.js";
import { startControllerProcess, type ControllerProcess } from "../support/controller-process.js";
import { startEtcd } from "../support/etcd-server.js";
import { requireIntegration } from "../support/prerequisites.js";
import { startSimulatedNodes, type SimulatedNodes } from "../support/simulated-nodes.js";
import { tempDir } from "../support/temp-dir.js";
import { runTeardown } from "../support/teardown.js";
import { waitFor } from "../support/wait-for.js";
import { sampleValue } from "../support/metrics-text.js";
import { promtoolFindings } from "../support/promtool.js";
import { deploymentManifest, podManifest, type Wire } from "../support/workload-cluster.js";

const ns = "metrics";
const user = "metrics-operator";
const token = randomBytes(18).toString("hex");

/** One HTTPS request to the controller with the bearer token: status and text. */
function request(
  controller: ControllerProcess,
  ca: string,
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(`${controller.url}${urlPath}`, {
      method,
      ca,
      headers: {
        authorization: `Bearer ${token}`,
        "user-agent": "berth-metrics-test/1.0",
        ...(payload ? { "content-type": "application/json" } : {}),
      },
    });
    req.on("response", (res) => {
      let text = "";
      res.on("data", (b: Buffer) => (text += b.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

describe("controller /metrics and access log with a deployment on simulated nodes", function () {
  this.timeout(120_000);
  const cleanups: Array<() => unknown> = [];
  let controller: ControllerProcess;
  let sim: SimulatedNodes;
  let ca: string;
  const call = async (method: string, urlPath: string, body?: unknown) => {
    const answer = await request(controller, ca, method, urlPath, body);
    if (answer.status >= 300)
      throw new Error(`${method} ${urlPath}: ${answer.status} ${answer.text}`);
    return JSON.parse(answer.text) as Wire;
  };
  const metricsText = async () => (await request(controller, ca, "GET", "/metrics")).text;

  before(async function () {
    requireIntegration(this, ["etcd", "openssl", "promtool"]);
    const base = tempDir("controller-metrics");
    cleanups.push(() => base.remove());
    const etcd = await startEtcd();
    cleanups.push(() => etcd.stop());
    const tokenFile = path.join(base.path, "tokens.csv");
    writeFileSync(tokenFile, `${token},${user},uid-1,"system:masters"\n`, { mode: 0o600 });
    controller = await startControllerProcess(base.path, etcd.endpoint, {
      args: ["--token-auth-file", tokenFile, "--log-level", "info"],
    });
    cleanups.push(() => controller.stop());
    const layout = pkiLayout(path.join(base.path, "controller"));
    ca = readFileSync(layout.caCert, "utf8");
    sim = await startSimulatedNodes({
      url: controller.url,
      ca,
      cert: readFileSync(layout.adminCert, "utf8"),
      key: readFileSync(layout.adminKey, "utf8"),
      count: 2,
    });
    cleanups.push(() => sim.stop());
    await call("POST", "/api/v1/namespaces", { metadata: { name: ns } });
  });
  after(async () => {
    await runTeardown(cleanups.splice(0).reverse(), "controller metrics teardown");
  });

  it("counts scheduling, workqueue adds and the pod create, passes promtool, and logs the POST without the token", async () => {
    const replicas = 3;
    await call(
      "POST",
      `/apis/apps/v1/namespaces/${ns}/deployments`,
      deploymentManifest("web", replicas, "busybox:1.36"),
    );
    const created = await request(controller, ca, "POST", `/api/v1/namespaces/${ns}/pods`, {
      ...podManifest("solo"),
    });
    expect(created.status, created.text).to.equal(201);
    await waitFor(
      `${replicas + 1} running pods`,
      async () => {
        const pods = (await call("GET", `/api/v1/namespaces/${ns}/pods`)).items as Wire[];
        const running = pods.filter((p) => p.spec.nodeName && p.status?.phase === "Running");
        return running.length === replicas + 1 ? true : undefined;
      },
      60_000,
    );

    const text = await metricsText();
    const scheduled = sampleValue(text, "scheduler_schedule_attempts_total", {
      result: "scheduled",
      profile: "default-scheduler",
    });
    expect(scheduled, "scheduled attempts").to.be.at.least(replicas + 1);
    expect(sampleValue(text, "workqueue_adds_total", { name: "replicaset" })).to.be.greaterThan(0);
    expect(sampleValue(text, "workqueue_adds_total", { name: "deployment" })).to.be.greaterThan(0);
    expect(sampleValue(text, "workqueue_depth", { name: "replicaset" })).to.be.a("number");
    const podCreates = sampleValue(text, "apiserver_request_total", {
      verb: "POST",
      dry_run: "",
      group: "",
      version: "v1",
      resource: "pods",
      subresource: "",
      scope: "resource",
      component: "apiserver",
      code: "201",
    });
    expect(podCreates, "POST pods 201").to.be.at.least(1);
    expect(
      sampleValue(text, "etcd_request_duration_seconds_count", {
        operation: "create",
        type: "pods",
      }),
    ).to.be.at.least(replicas + 1);
    expect(sampleValue(text, "apiserver_storage_objects", { resource: "pods" })).to.be.at.least(
      replicas + 1,
    );
    expect(sampleValue(text, "scheduler_pending_pods", { queue: "active" })).to.equal(0);
    expect(await promtoolFindings(text)).to.equal("");

    const lines = controller
      .stderr()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const post = lines.find(
      (l) =>
        l.message === "HTTP" && l.verb === "POST" && l.path === `/api/v1/namespaces/${ns}/pods`,
    );
    expect(post, "the access log line of the pod create").to.not.equal(undefined);
    expect(post).to.deep.include({
      level: "info",
      component: "controller",
      user,
      userAgent: "berth-metrics-test/1.0",
      code: 201,
      resource: "pods",
      namespace: ns,
    });
    expect(post!.latencyMs).to.be.a("number").and.to.be.greaterThan(0);
    expect(controller.stderr()).not.to.include(token);
    expect(
      lines.some((l) => l.message === "HTTP" && l.path === "/metrics"),
      "scrapes are logged at debug only",
    ).to.equal(false);
  });
});
