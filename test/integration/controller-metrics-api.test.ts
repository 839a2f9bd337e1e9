import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Pod } from "../../agent/kube/types.js";
import { kubeletClusterForSuite } from "../support/kubelet-cluster.js";
import { busyboxContainer, podManifest } from "../support/kubelet-pods.js";
import { runningContainers } from "../support/kubelet-runtime-view.js";
import { waitFor } from "../support/wait-for.js";

const ns = "metrics-api-test";
const MiB = 1024 * 1024;

/** Rows of kubectl's whitespace-aligned table output, keyed by its header names. */
function tableRows(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split("\n");
  const names = header.trim().split(/\s+/);
  return lines.map((line) => {
    const cells = line.trim().split(/\s+/);
    return Object.fromEntries(names.map((n, i) => [n, cells[i]]));
  });
}

/** "199m" → 0.199 cores; "1" → 1. */
const cores = (text: string) =>
  text.endsWith("m") ? Number(text.slice(0, -1)) / 1000 : Number(text);
/** "20Mi" → bytes. */
const mebibytes = (text: string) => {
  expect(text).to.match(/^\d+Mi$/);
  return Number(text.slice(0, -2)) * MiB;
};

const cgroupFile = (controller: string, cgroup: string, file: string) =>
  readFileSync(path.join("/sys/fs/cgroup", controller, cgroup, file), "utf8");

/** What the kubelet and cAdvisor call the working set: usage minus inactive file pages (v1). */
function workingSet(cgroup: string): number {
  const usage = Number(cgroupFile("memory", cgroup, "memory.usage_in_bytes").trim());
  const inactive = /^total_inactive_file (\d+)$/m.exec(cgroupFile("memory", cgroup, "memory.stat"));
  return Math.max(usage - Number(inactive?.[1] ?? 0), 0);
}

/** CPU ns the cgroup used so far, with the monotonic time it was read at. */
function cpuReading(cgroup: string): { ns: number; at: bigint } {
  return {
    ns: Number(cgroupFile("cpuacct", cgroup, "cpuacct.usage").trim()),
    at: process.hrtime.bigint(),
  };
}

const within = (actual: number, expected: number, share: number, what: string) =>
  expect(
    Math.abs(actual - expected),
    `${what}: kubectl ${actual}, cgroup ${expected} (allowed ±${share * 100}%)`,
  ).to.be.at.most(expected * share);

describe("controller: metrics.k8s.io from the agents' summaries, read by kubectl top", function () {
  this.timeout(240_000);
  const cluster = kubeletClusterForSuite(ns);
  const cgroups = new Map<string, string>();

  before(async function () {
    // A CPU-bound loop held at 200m by its limit (a steady rate to compare), and a shell that
    // keeps ~20 MiB in a variable (a steady working set).
    const burner = podManifest(ns, "burner", [
      busyboxContainer("burn", ["/bin/sh", "-c", "while :; do :; done"], {
        resources: { limits: { cpu: "200m", memory: "64Mi" } },
      }),
      busyboxContainer(
        "hold",
        [
          "/bin/sh",
          "-c",
          `x=$(head -c ${20 * MiB} /dev/zero | tr '\\0' a); trap 'exit 0' TERM; while :; do sleep 1; done`,
        ],
        { resources: { limits: { memory: "128Mi" } } },
      ),
    ]);
    burner.metadata!.labels = { app: "burner" };
    await cluster.kubectlOk(["apply", "-f", "-"], JSON.stringify(burner));
    const pod = await waitFor(
      "the burner pod to run",
      async () => {
        const p = await cluster.admin
          .get<Pod>(`/api/v1/namespaces/${ns}/pods/burner`)
          .catch(() => undefined);
        const up = p?.status?.containerStatuses?.every((c) => c.state?.running);
        return p?.status?.phase === "Running" && up ? p : undefined;
      },
      90_000,
    );
    for (const c of await runningContainers(cluster.cri!)) {
      if (c.podUid !== pod.metadata?.uid) continue;
      const status = await cluster.cri!.runtime("ContainerStatus", {
        container_id: c.id,
        verbose: true,
      });
      cgroups.set(c.name, JSON.parse((status.info as Record<string, string>).info).cgroup);
    }
    expect([...cgroups.keys()].sort()).to.deep.equal(["burn", "hold"]);
    await waitFor("the holder to fill its memory", async () =>
      workingSet(cgroups.get("hold")!) > 20 * MiB ? true : undefined,
    );
  });

  it("advertises metrics.k8s.io/v1beta1 in discovery, as kubectl top checks first", async () => {
    const groups = await cluster.kubectlOk(["api-versions"]);
    expect(groups.split("\n")).to.include("metrics.k8s.io/v1beta1");
    const resources = await cluster.kubectlOk(["api-resources", "--api-group=metrics.k8s.io"]);
    expect(resources).to.match(/^nodes\s+metrics\.k8s\.io\/v1beta1\s+false\s+NodeMetrics$/m);
    expect(resources).to.match(/^pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics$/m);
  });

  it("kubectl top nodes prints the node's CPU and memory", async () => {
    const out = await waitFor("kubectl top nodes", async () => {
      const r = await cluster.kubectl(["top", "nodes"]);
      return r.code === 0 ? r.stdout : undefined;
    });
    const row = tableRows(out).find((r) => r.NAME === cluster.nodeName);
    expect(row, out).to.not.equal(undefined);
    expect(row!["CPU(cores)"]).to.match(/^\d+m?$/);
    expect(row!["MEMORY(bytes)"]).to.match(/^\d+Mi$/);
    // The node's usage is its root cgroup's: at least the burner's 200m.
    expect(cores(row!["CPU(cores)"])).to.be.at.least(0.15);
    expect(mebibytes(row!["MEMORY(bytes)"])).to.be.greaterThan(20 * MiB);
  });

  it("kubectl top pods --containers matches each container's cgroup within 10%", async () => {
    // Let the controller's previous scrape age past its cache, so the next window is a few
    // seconds long; the burner's rate is steady, so any few seconds compare.
    await sleep(6_000);
    const burn = cgroups.get("burn")!;
    const hold = cgroups.get("hold")!;
    const before = cpuReading(burn);
    await sleep(3_000);
    const out = await waitFor("kubectl top pods", async () => {
      const r = await cluster.kubectl(["top", "pods", "-n", ns, "--containers"]);
      return r.code === 0 && r.stdout.includes("burner") ? r.stdout : undefined;
    });
    const after = cpuReading(burn);
    const heldBytes = workingSet(hold);
    const rows = tableRows(out);
    const burnRow = rows.find((r) => r.POD === "burner" && r.NAME === "burn");
    const holdRow = rows.find((r) => r.POD === "burner" && r.NAME === "hold");
    expect(burnRow, out).to.not.equal(undefined);
    expect(holdRow, out).to.not.equal(undefined);
    const cgroupCores = (after.ns - before.ns) / Number(after.at - before.at);
    expect(cgroupCores, "the loop runs at its limit").to.be.within(0.1, 0.25);
    within(cores(burnRow!["CPU(cores)"]), cgroupCores, 0.1, "burn CPU");
    within(mebibytes(holdRow!["MEMORY(bytes)"]), heldBytes, 0.1, "hold memory");
  });

  it("kubectl top pods -A and -l select through the API's selectors", async () => {
    const all = await cluster.kubectlOk(["top", "pods", "-A"]);
    const row = tableRows(all).find((r) => r.NAMESPACE === ns && r.NAME === "burner");
    expect(row, all).to.not.equal(undefined);
    expect(row!["CPU(cores)"]).to.match(/^\d+m$/);
    const labelled = await cluster.kubectlOk(["top", "pods", "-n", ns, "-l", "app=burner"]);
    expect(tableRows(labelled).map((r) => r.NAME)).to.deep.equal(["burner"]);
    const none = await cluster.kubectl(["top", "pods", "-n", ns, "-l", "app=nothing"]);
    expect(none.stdout).to.not.include("burner");
    const one = await cluster.kubectlOk(["top", "pod", "burner", "-n", ns, "--containers"]);
    expect(tableRows(one).map((r) => r.NAME)).to.deep.equal(["burn", "hold"]);
  });

  it("kubectl get podmetrics and nodemetrics print metrics-server's table", async () => {
    const pods = await cluster.kubectlOk(["get", "podmetrics", "-n", ns]);
    const row = tableRows(pods).find((r) => r.NAME === "burner");
    expect(row, pods).to.not.equal(undefined);
    expect(row!.CPU).to.match(/^\d+[num]?$/);
    expect(row!.MEMORY).to.match(/^\d+(Ki|Mi)?$/);
    expect(row!.WINDOW).to.match(/^\d+(\.\d+)?m?s$/);
    const nodes = await cluster.kubectlOk(["get", "nodemetrics"]);
    expect(tableRows(nodes).map((r) => r.NAME)).to.include(cluster.nodeName);
  });

  it("serves PodMetrics and NodeMetrics as JSON through kubectl get --raw", async () => {
    const pod = JSON.parse(
      await cluster.kubectlOk([
        "get",
        "--raw",
        `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods/burner`,
      ]),
    ) as {
      kind: string;
      metadata: { name: string; namespace: string; labels: Record<string, string> };
      timestamp: string;
      window: string;
      containers: { name: string; usage: { cpu: string; memory: string } }[];
    };
    expect(pod).to.include({ kind: "PodMetrics", apiVersion: "metrics.k8s.io/v1beta1" });
    expect(pod.metadata).to.include({ name: "burner", namespace: ns });
    expect(pod.metadata.labels).to.deep.equal({ app: "burner" });
    expect(Date.now() - Date.parse(pod.timestamp)).to.be.within(-2_000, 60_000);
    expect(pod.window).to.match(/^\d+(\.\d+)?s$/);
    expect(pod.containers.map((c) => c.name)).to.deep.equal(["burn", "hold"]);
    for (const c of pod.containers) {
      expect(c.usage.cpu).to.match(/^\d+[num]?$/);
      expect(c.usage.memory).to.match(/^\d+(Ki|Mi)?$/);
    }
    const nodes = JSON.parse(
      await cluster.kubectlOk(["get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes"]),
    ) as { kind: string; items: { metadata: { name: string } }[] };
    expect(nodes.kind).to.equal("NodeMetricsList");
    expect(nodes.items.map((n) => n.metadata.name)).to.include(cluster.nodeName);
  });
});
