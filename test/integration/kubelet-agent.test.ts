import { expect } from "chai";
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { isNotFound } from "../../agent/kube/kube-errors.js";
import type { KubeList } from "../../agent/kube/kube-client.js";
import type { KubeEvent, Node, Pod } from "../../agent/kube/types.js";
import { kubeletClusterForSuite } from "../support/kubelet-cluster.js";
import { sampleValue } from "../support/metrics-text.js";
import { promtoolCheckMetrics } from "../support/promtool.js";
import {
  busyboxContainer,
  httpdDeployment,
  podManifest,
  printThenWait,
} from "../support/kubelet-pods.js";
import { find, parseExposition, type ParsedExposition } from "../support/exposition-parser.js";
import { waitFor } from "../support/wait-for.js";

const ns = "kubelet-test";

describe("berth agent as kubelet: pods from the real controller run on the node", function () {
  this.timeout(180_000);
  const cluster = kubeletClusterForSuite(ns);
  const podPath = (name: string) => `/api/v1/namespaces/${ns}/pods/${name}`;
  const getPod = (name: string) => cluster.admin.get<Pod>(podPath(name));
  const apply = (manifest: object) =>
    cluster.kubectlOk(["apply", "-f", "-"], JSON.stringify(manifest));
  const waitPod = (name: string, what: string, ok: (p: Pod) => boolean, timeoutMs = 60_000) =>
    waitFor(
      `pod ${name} ${what}`,
      async () => {
        const pod = await getPod(name).catch(() => undefined);
        return pod && ok(pod) ? pod : undefined;
      },
      timeoutMs,
    );
  const running = (p: Pod) =>
    p.status?.phase === "Running" && !!p.status.containerStatuses?.every((c) => c.state?.running);
  const gone = (name: string) =>
    waitFor(`pod ${name} to be gone`, async () =>
      getPod(name).then(
        () => undefined,
        (err) => (isNotFound(err) ? true : undefined),
      ),
    );
  const logsOf = async (pod: string, container: string) => {
    const res = await cluster.kubeletGet(`/containerLogs/${ns}/${pod}/${container}`);
    expect(res.status, res.body).to.equal(200);
    return res.body;
  };

  it("registers the node, which kubectl shows Ready", async () => {
    const node = await waitFor("the node to be Ready", async () => {
      const n = await cluster.admin
        .get<Node>(`/api/v1/nodes/${cluster.nodeName}`)
        .catch(() => undefined);
      const ready = n?.status?.conditions?.find((c) => c.type === "Ready");
      return ready?.status === "True" ? n : undefined;
    });
    expect(node.status?.daemonEndpoints?.kubeletEndpoint?.Port).to.equal(cluster.kubeletPort);
    const table = await cluster.kubectlOk(["get", "nodes"]);
    expect(table).to.match(new RegExp(`${cluster.nodeName}\\s+Ready`));
  });

  it("runs a busybox pod to Running with its IP, container status and events", async () => {
    await apply(
      podManifest(ns, "hello", [
        busyboxContainer("app", printThenWait("echo hello from $(POD_NAME)"), {
          env: [{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
        }),
      ]),
    );
    const pod = await waitPod("hello", "to run", running);
    expect(pod.spec?.nodeName).to.equal(cluster.nodeName);
    expect(pod.status?.podIP?.startsWith(cluster.network.prefix)).to.equal(true);
    expect(pod.status?.hostIP).to.equal("127.0.0.1");
    const c = pod.status!.containerStatuses![0];
    expect(c).to.deep.include({ name: "app", ready: true, restartCount: 0, started: true });
    expect(c.containerID).to.match(/^berth:\/\/[0-9a-f]{12,}$/);
    expect(pod.status?.conditions?.find((x) => x.type === "Ready")?.status).to.equal("True");
    const described = await waitFor("the events", async () => {
      const text = await cluster.kubectlOk(["describe", "pod", "hello", "-n", ns]);
      return /Pulled/.test(text) && /Created/.test(text) && /Started/.test(text) ? text : undefined;
    });
    expect(described).to.match(/already present on machine/);
    expect(await logsOf("hello", "app")).to.contain("hello from hello");
  });

  it("serves /healthz to anyone, /stats/summary and /metrics to the admin only", async () => {
    expect(await cluster.kubeletGet("/healthz", "anonymous")).to.deep.equal({
      status: 200,
      body: "ok",
    });
    for (const page of ["/stats/summary", "/metrics", `/containerLogs/${ns}/hello/app`]) {
      expect((await cluster.kubeletGet(page, "anonymous")).status, page).to.equal(401);
    }
    const summary = await cluster.kubeletGet("/stats/summary");
    expect(summary.status).to.equal(200);
    const parsed = JSON.parse(summary.body) as {
      node: {
        nodeName: string;
        cpu: { usageCoreNanoSeconds: number };
        memory: { workingSetBytes: number };
        fs: { capacityBytes: number };
      };
      pods: {
        podRef: { name: string };
        cpu?: { usageCoreNanoSeconds: number };
        containers: { name: string; memory?: object }[];
        network?: object;
      }[];
    };
    expect(parsed.node.nodeName).to.equal(cluster.nodeName);
    expect(parsed.node.memory.workingSetBytes).to.be.greaterThan(0);
    expect(parsed.node.cpu.usageCoreNanoSeconds).to.be.greaterThan(0);
    expect(parsed.node.fs.capacityBytes).to.be.greaterThan(0);
    const hello = parsed.pods.find((p) => p.podRef.name === "hello");
    expect(hello?.containers.map((c) => c.name)).to.deep.equal(["app"]);
    expect(hello?.containers[0].memory).to.have.property("workingSetBytes");
    expect(hello?.cpu?.usageCoreNanoSeconds).to.be.greaterThan(0);
    expect(hello?.network).to.have.property("name", "eth0");
    const metrics = await cluster.kubeletGet("/metrics");
    expect(metrics.status).to.equal(200);
    expect(metrics.body).to.match(/^# HELP /m);
  });

  it("serves kubelet, CNI and CRI series on /metrics, which pass promtool check metrics", async () => {
    const rpc = { grpc_type: "unary", grpc_service: "runtime.v1.RuntimeService" };
    await cluster.cri!.runtime("Version", {});
    const missing = await cluster.cri!.runtime("ContainerStatus", { container_id: "f00d" }).then(
      () => undefined,
      (err: { code?: number }) => err.code,
    );
    expect(missing).to.equal(5);
    // The SLI is observed when the watch brings back the status the kubelet wrote: wait for it.
    const text = await waitFor(
      "hello's start in kubelet_pod_start_sli_duration_seconds",
      async () => {
        const res = await cluster.kubeletGet("/metrics");
        const n = sampleValue(res.body, "kubelet_pod_start_sli_duration_seconds_count") ?? 0;
        return res.status === 200 && n >= 1 ? res.body : undefined;
      },
    );
    const value = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(text, name, labels) ?? 0;
    const op = (operation_type: string) =>
      value("kubelet_runtime_operations_total", { operation_type });
    expect(value("kubelet_running_pods")).to.be.at.least(1);
    expect(value("kubelet_running_containers", { container_state: "running" })).to.be.at.least(1);
    expect(value("kubelet_pod_start_duration_seconds_count")).to.be.at.least(1);
    expect(value("kubelet_pod_start_total_duration_seconds_count")).to.be.at.least(1);
    for (const operation of ["run_podsandbox", "create_container", "start_container"]) {
      expect(op(operation), operation).to.be.at.least(1);
    }
    expect(op("list_podsandbox")).to.be.at.least(1);
    expect(
      value("kubelet_runtime_operations_duration_seconds_count", {
        operation_type: "run_podsandbox",
      }),
    ).to.equal(op("run_podsandbox"));
    expect(
      value("kubelet_network_plugin_operations_total", { operation_type: "set_up_pod" }),
    ).to.be.at.least(1);
    expect(
      value("grpc_server_handled_total", { ...rpc, grpc_method: "Version", grpc_code: "OK" }),
    ).to.be.at.least(1);
    expect(
      value("grpc_server_handled_total", {
        ...rpc,
        grpc_method: "ContainerStatus",
        grpc_code: "NotFound",
      }),
    ).to.be.at.least(1);
    expect(
      value("grpc_server_handling_seconds_count", { ...rpc, grpc_method: "Version" }),
    ).to.be.at.least(1);
    const check = await promtoolCheckMetrics(text);
    expect(check, check.output).to.deep.equal({ code: 0, output: "" });
  });

  it("gives a pod its configMap volume and env from a ConfigMap, a Secret and fieldRefs", async () => {
    await apply({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: ns },
      data: { greeting: "hi there", mode: "fast" },
    });
    await apply({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "creds", namespace: ns },
      data: { token: Buffer.from("s3cr3t").toString("base64") },
    });
    const ref = (fieldPath: string) => ({ valueFrom: { fieldRef: { fieldPath } } });
    await apply(
      podManifest(
        ns,
        "configured",
        [
          busyboxContainer(
            "app",
            printThenWait(
              "cat /etc/config/greeting; echo; echo MODE=$MODE TOKEN=$TOKEN POD=$POD_NAME NODE=$NODE_IP",
            ),
            {
              env: [
                { name: "MODE", valueFrom: { configMapKeyRef: { name: "settings", key: "mode" } } },
                { name: "TOKEN", valueFrom: { secretKeyRef: { name: "creds", key: "token" } } },
                { name: "POD_NAME", ...ref("metadata.name") },
                { name: "NODE_IP", ...ref("status.hostIP") },
              ],
              volumeMounts: [{ name: "config", mountPath: "/etc/config" }],
            },
          ),
        ],
        { volumes: [{ name: "config", configMap: { name: "settings" } }] },
      ),
    );
    await waitPod("configured", "to run", running);
    const logs = await waitFor("the pod's output", async () => {
      const text = await logsOf("configured", "app");
      return text.includes("MODE=") ? text : undefined;
    });
    expect(logs).to.contain("hi there");
    expect(logs).to.contain("MODE=fast TOKEN=s3cr3t POD=configured NODE=127.0.0.1");
  });

  it("backs off a container that keeps failing (CrashLoopBackOff), counting restarts", async () => {
    await apply(
      podManifest(ns, "crasher", [
        busyboxContainer("app", ["/bin/sh", "-c", "echo crashing; exit 3"]),
      ]),
    );
    const looping = await waitPod("crasher", "to back off", (p) => {
      const c = p.status?.containerStatuses?.[0];
      return c?.state?.waiting?.reason === "CrashLoopBackOff" && c.restartCount >= 1;
    });
    const c = looping.status!.containerStatuses![0];
    expect(c.lastState?.terminated).to.include({ exitCode: 3, reason: "Error" });
    await waitPod(
      "crasher",
      "to restart again",
      (p) => (p.status?.containerStatuses?.[0].restartCount ?? 0) >= 2,
      45_000,
    );
    const events = await cluster.admin.list<KubeEvent>(`/api/v1/namespaces/${ns}/events`, {
      query: { fieldSelector: "involvedObject.name=crasher" },
    });
    expect(events.items.map((e) => e.reason)).to.include("BackOff");
    await cluster.kubectlOk(["delete", "pod", "crasher", "-n", ns]);
  });

  it("restarts a container whose liveness probe fails, and turns Ready by its readiness probe", async () => {
    // Ready once /tmp/ready exists. The first run deletes /tmp/alive, failing the liveness
    // probe; the emptyDir remembers that it did, so the restarted container stays alive.
    const script =
      "touch /tmp/alive; sleep 2; touch /tmp/ready; " +
      "if [ ! -e /state/restarted ]; then touch /state/restarted; rm -f /tmp/alive; fi; " +
      "trap 'exit 0' TERM; while true; do sleep 1; done";
    await apply(
      podManifest(
        ns,
        "probed",
        [
          busyboxContainer("app", ["/bin/sh", "-c", script], {
            volumeMounts: [{ name: "state", mountPath: "/state" }],
            readinessProbe: { exec: { command: ["cat", "/tmp/ready"] }, periodSeconds: 1 },
            livenessProbe: {
              exec: { command: ["cat", "/tmp/alive"] },
              periodSeconds: 1,
              failureThreshold: 2,
            },
          }),
        ],
        { volumes: [{ name: "state", emptyDir: {} }] },
      ),
    );
    const started = await waitPod("probed", "to run", running);
    expect(started.status!.containerStatuses![0].ready).to.equal(false);
    const ready = await waitPod(
      "probed",
      "to be restarted once and Ready",
      (p) => {
        const c = p.status?.containerStatuses?.[0];
        return (
          c?.restartCount === 1 &&
          c.ready &&
          !!p.status?.conditions?.some((x) => x.type === "Ready" && x.status === "True")
        );
      },
      90_000,
    );
    expect(ready.status!.containerStatuses![0].lastState?.terminated).to.be.an("object");
    const events = await cluster.admin.list<KubeEvent>(`/api/v1/namespaces/${ns}/events`, {
      query: { fieldSelector: "involvedObject.name=probed" },
    });
    const unhealthy = events.items.filter((e) => e.reason === "Unhealthy").map((e) => e.message);
    expect(
      unhealthy.some((m) => m?.startsWith("Liveness probe failed:")),
      String(unhealthy),
    ).to.equal(true);
    expect(events.items.map((e) => e.reason)).to.include("Killing");
    await cluster.kubectlOk(["delete", "pod", "probed", "-n", ns]);
  });

  it("runs a pod with restartPolicy Never to Succeeded", async () => {
    await apply(
      podManifest(ns, "once", [busyboxContainer("job", ["/bin/sh", "-c", "echo done"])], {
        restartPolicy: "Never",
      }),
    );
    const pod = await waitPod("once", "to succeed", (p) => p.status?.phase === "Succeeded");
    expect(pod.status!.containerStatuses![0].state?.terminated).to.include({
      exitCode: 0,
      reason: "Completed",
    });
    expect(await logsOf("once", "job")).to.contain("done");
  });

  it("removes a deleted pod from the API and everything of it from the runtime", async () => {
    const uid = (await getPod("hello")).metadata!.uid!;
    expect((await cluster.runtimeObjects(uid)).containers).to.have.length(1);
    await cluster.kubectlOk(["delete", "pod", "hello", "-n", ns]);
    await gone("hello");
    expect(await cluster.runtimeObjects(uid)).to.deep.equal({ sandboxes: [], containers: [] });
  });

  it("adopts running pods after a SIGKILL and cleans up a pod deleted while it was down", async () => {
    const before = await getPod("configured");
    const uid = before.metadata!.uid!;
    const { containerID, restartCount } = before.status!.containerStatuses![0];
    await apply(podManifest(ns, "doomed", [busyboxContainer("app", printThenWait("echo doomed"))]));
    const doomedUid = (await waitPod("doomed", "to run", running)).metadata!.uid!;
    await cluster.killAgent();
    await cluster.kubectlOk(["delete", "pod", "doomed", "-n", ns, "--grace-period=0", "--force"]);
    await cluster.startAgent();
    await waitFor("the doomed pod's removal", async () => {
      const left = await cluster.runtimeObjects(doomedUid);
      return left.sandboxes.length + left.containers.length === 0 ? true : undefined;
    });
    // Give the kubelet time to act on the adopted pod: a wrong hash would have replaced it by now.
    await waitFor("the pods to sync", async () =>
      cluster.agent!.stderr().includes('"pods synced"') ? true : undefined,
    );
    await sleep(5_000);
    const after = await getPod("configured");
    expect(after.status!.containerStatuses![0]).to.include({ containerID, restartCount });
    expect(after.status!.containerStatuses![0].state?.running).to.not.equal(undefined);
    const objects = await cluster.runtimeObjects(uid);
    expect(objects.containers).to.deep.equal([containerID!.replace("berth://", "")]);
    await cluster.kubectlOk(["delete", "pod", "configured", "-n", ns]);
    await gone("configured");
    expect(await cluster.runtimeObjects(uid)).to.deep.equal({ sandboxes: [], containers: [] });
  });

  it("runs a Deployment of 3 busybox httpd pods whose IPs answer HTTP from the host", async () => {
    await apply(httpdDeployment(ns, "web", 3));
    const pods = await waitFor(
      "3 web pods running",
      async () => {
        const list = await cluster.admin.list<Pod>(`/api/v1/namespaces/${ns}/pods`, {
          query: { labelSelector: "app=web" },
        });
        const ready = list.items.filter((p) => running(p) && p.status?.podIP);
        return ready.length === 3 ? ready : undefined;
      },
      90_000,
    );
    for (const pod of pods) {
      expect(pod.spec?.nodeName).to.equal(cluster.nodeName);
      const body = await waitFor(`HTTP from ${pod.metadata!.name}`, () =>
        httpGet(`http://${pod.status!.podIP}:8080/`).catch(() => undefined),
      );
      expect(body.trim()).to.equal(`hello from ${pod.metadata!.name}`);
    }
    await cluster.kubectlOk(["delete", "deployment", "web", "-n", ns]);
    await waitFor(
      "the web pods to be gone",
      async () => {
        const list: KubeList<Pod> = await cluster.admin.list(`/api/v1/namespaces/${ns}/pods`, {
          query: { labelSelector: "app=web" },
        });
        return list.items.length === 0 ? true : undefined;
      },
      60_000,
    );
  });

  it("serves /metrics/cadvisor: a pod's working set, rising CPU, limits and network, promtool-clean", async () => {
    // httpd for traffic to eth0, a 32 MiB shell variable, and a little CPU every second.
    const script = [
      "mkdir -p /www && echo hi > /www/index.html && /bin/busybox httpd -p 8080 -h /www",
      "x=$(/bin/busybox head -c 33554432 /dev/zero | /bin/busybox tr '\\0' a)",
      "trap 'exit 0' TERM",
      "while true; do i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 1; done",
    ].join("; ");
    const limits = { memory: "128Mi", cpu: "500m" };
    await apply(
      podManifest(ns, "metered", [
        busyboxContainer("app", ["/bin/sh", "-c", script], { resources: { limits } }),
      ]),
    );
    const pod = await waitPod("metered", "to run", running);
    await waitFor("HTTP from the metered pod", () =>
      httpGet(`http://${pod.status!.podIP}:8080/`).catch(() => undefined),
    );
    expect((await cluster.kubeletGet("/metrics/cadvisor", "anonymous")).status).to.equal(401);
    const scrape = async () => {
      const res = await cluster.kubeletGet("/metrics/cadvisor");
      expect(res.status, res.body).to.equal(200);
      return { text: res.body, parsed: parseExposition(res.body) };
    };
    const app = { namespace: ns, pod: "metered", container: "app" };
    const value = (parsed: ParsedExposition, name: string, match: Record<string, string>) => {
      const found = find(parsed, name, match);
      expect(found, `${name} ${JSON.stringify(match)}`).to.have.length(1);
      return found[0].value;
    };
    const first = await waitFor("the 32 MiB allocation in the working set", async () => {
      const s = await scrape();
      const ws = find(s.parsed, "container_memory_working_set_bytes", app)[0]?.value ?? 0;
      return ws > 32 << 20 ? s : undefined;
    });
    const containerID = pod.status!.containerStatuses![0].containerID!.replace("berth://", "");
    expect(find(first.parsed, "container_memory_rss", app)[0].labels).to.include({
      name: containerID,
      image: "docker.io/library/busybox:latest",
    });
    expect(value(first.parsed, "container_spec_memory_limit_bytes", app)).to.equal(128 << 20);
    expect(value(first.parsed, "container_spec_cpu_quota", app)).to.equal(50_000);
    expect(value(first.parsed, "container_spec_cpu_period", app)).to.equal(100_000);
    expect(value(first.parsed, "container_processes", app)).to.be.greaterThan(0);
    const podLevel = { namespace: ns, pod: "metered", container: "", interface: "eth0" };
    expect(
      value(first.parsed, "container_network_receive_bytes_total", podLevel),
    ).to.be.greaterThan(0);
    expect(
      value(first.parsed, "container_network_transmit_bytes_total", podLevel),
    ).to.be.greaterThan(0);
    const cpu = { ...app, cpu: "total" };
    const cpuBefore = value(first.parsed, "container_cpu_usage_seconds_total", cpu);
    await sleep(2_500);
    const second = await scrape();
    expect(value(second.parsed, "container_cpu_usage_seconds_total", cpu)).to.be.greaterThan(
      cpuBefore,
    );
    const { code, output } = await promtoolCheckMetrics(second.text);
    expect({ code, output }).to.deep.equal({ code: 0, output: "" });
    await cluster.kubectlOk(["delete", "pod", "metered", "-n", ns]);
  });

  it("leaves nothing in the runtime once the pods are deleted", async () => {
    await cluster.kubectlOk(["delete", "pods", "--all", "-n", ns]);
    const left = await waitFor("an empty runtime", async () => {
      const objects = await cluster.runtimeObjects();
      return objects.sandboxes.length + objects.containers.length === 0 ? objects : undefined;
    });
    expect(left).to.deep.equal({ sandboxes: [], containers: [] });
  });
});

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 2_000 }, (res) => {
      let body = "";
      res.on("data", (b: Buffer) => (body += b.toString()));
      res.on("end", () =>
        res.statusCode === 200 ? resolve(body) : reject(new Error(`${res.statusCode}`)),
      );
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
  });
}
