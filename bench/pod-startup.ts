// Pod startup latency as Kubernetes' SLO measures it: pod created → Running (all containers
// started) observed through a watch, image present, on a real `berth controller` + `berth agent
// --kubeconfig` node (isolated root, cgroup parent and CNI test network). Two loads: --pods-paced
// pods created one per second, and --pods-burst pods created at once. Beside each, in the same
// run, the reference: the same CRI steps (RunPodSandbox, CreateContainer, StartContainer) driven
// straight over the agent's CRI socket, as crictl would — sequentially, then all at once — so the
// kubelet layer's overhead shows as a ratio. Also where the kubelet's time goes (from the
// runtime's own timestamps) and the agent's and controller's memory (VmRSS) with 0 and with the
// burst's pods running. Everything is deleted between phases and removed at the end.
//   node dist/bench/pod-startup.js [--pods-paced 30] [--pods-burst 100]
import path from "node:path";
import os from "node:os";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import type { Node, Pod } from "../agent/kube/types.js";
import { pkiLayout } from "../controller/pki/pki-layout.js";
import { cgroupChildren, removeCgroupEverywhere } from "../test/support/cgroup-leaks.js";
import { KubeletCluster } from "../test/support/kubelet-cluster.js";
import { busyboxContainer, podManifest } from "../test/support/kubelet-pods.js";
import { answerError, SimApiClient } from "../test/support/sim-api-client.js";
import {
  conmonRss,
  cpuSeconds,
  criReferencePod,
  eachLimited,
  leaksOf,
  removeCriPods,
  RssPeaks,
  rssKiB,
  runtimeStamps,
  StartupWatch,
  wallMs,
  type CriPodTimes,
  type RuntimeStamps,
  type WatchedPod,
} from "./pod-startup-support.js";
import {
  report,
  type CpuUse,
  type Flags,
  type KubeletPodTimes,
  type Memory,
  type Phase,
  type Results,
} from "./pod-startup-report.js";
import { runBench } from "./run-bench.js";

const namespace = "bench-startup";
// sh as PID 1 ignores TERM unless it traps it: this exits at once, so deletions are quick.
const script = "trap 'exit 0' TERM; while :; do sleep 1; done";
const apiClients = 16;

function readFlags(argv: string[]): Flags {
  const { values } = parseArgs({
    args: argv,
    options: {
      "pods-paced": { type: "string", default: "30" },
      "pods-burst": { type: "string", default: "100" },
    },
  });
  // The node takes 110 pods (kubelet's default); the test network's /24 has room for them.
  const count = (flag: "pods-paced" | "pods-burst", max: number) => {
    const text = values[flag]!;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < 1 || n > max) {
      throw new Error(`--${flag} must be a whole number from 1 to ${max}, not ${text}`);
    }
    return n;
  };
  return { paced: count("pods-paced", 110), burst: count("pods-burst", 110) };
}

// A signal ends the current wait; cleanup then runs as after any failure.
let interrupted: string | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => (interrupted = signal));
const checkInterrupted = () => {
  if (interrupted) throw new Error(`interrupted by ${interrupted}`);
};

class Bench {
  readonly cluster = new KubeletCluster();
  api?: SimApiClient;

  async setUp(): Promise<void> {
    await this.cluster.setUp();
    const layout = pkiLayout(path.join(this.cluster.base.path, "controller"));
    this.api = new SimApiClient(
      this.cluster.controller.url,
      {
        ca: readFileSync(layout.caCert),
        cert: readFileSync(layout.adminCert),
        key: readFileSync(layout.adminKey),
      },
      apiClients,
    );
    await this.nodeReady();
    const answer = await this.api.request("POST", "/api/v1/namespaces", {
      metadata: { name: namespace },
    });
    if (answer.status !== 201) throw answerError(`create namespace ${namespace}`, answer);
  }

  /** `count` pods created `intervalMs` apart (0: all at once), measured until all Running. */
  async kubeletPods(
    prefix: string,
    count: number,
    intervalMs: number,
    whileRunning?: () => Promise<void>,
  ): Promise<Phase<KubeletPodTimes>> {
    const api = this.api!;
    const watch = new StartupWatch();
    await watch.start(api, namespace);
    const names = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
    const issued = new Map<string, number>();
    let createFailure: Error | undefined;
    try {
      // Every socket open (TLS done) before the clock starts.
      await Promise.all(names.slice(0, apiClients).map(() => api.request("GET", "/version")));
      const creates: Promise<void>[] = [];
      const cpu = this.cpu();
      const first = wallMs();
      for (const [i, name] of names.entries()) {
        const wait = first + i * intervalMs - wallMs();
        if (wait > 0) await sleep(wait);
        checkInterrupted();
        if (createFailure) throw createFailure;
        issued.set(name, wallMs());
        const manifest = podManifest(
          namespace,
          name,
          [busyboxContainer("app", ["sh", "-c", script])],
          {
            terminationGracePeriodSeconds: 2,
          },
        );
        creates.push(
          api.request("POST", `/api/v1/namespaces/${namespace}/pods`, manifest).then(
            (a) => {
              if (a.status !== 201) createFailure ??= answerError(`create ${name}`, a);
            },
            (err: Error) => void (createFailure ??= err),
          ),
        );
      }
      await Promise.all(creates);
      if (createFailure) throw createFailure;
      await watch.waitRunning(names, 60_000 + count * 2_000, () => interrupted);
      const used = this.cpu(cpu);
      const stamps = await runtimeStamps(this.cluster.cri!);
      await whileRunning?.();
      const pods = names.map((name) => podTimes(issued.get(name)!, watch.pods.get(name)!, stamps));
      watch.stop();
      await this.deleteKubeletPods(names);
      return { pods, ...used };
    } catch (err) {
      watch.stop();
      // The first failure is the story; a cleanup that fails after it only adds a line.
      await this.deleteKubeletPods(names).catch((e: Error) =>
        console.error(`cleanup: ${e.message}`),
      );
      throw err;
    }
  }

  /** The raw-CRI reference: `count` pods one after another, or all at once. */
  async criPods(prefix: string, count: number, concurrent: boolean): Promise<Phase<CriPodTimes>> {
    const cri = this.cluster.cri!;
    const logs = path.join(this.cluster.base.path, "cri-logs");
    const one = (i: number) => criReferencePod(cri, logs, `${prefix}-${i}`, script);
    const times: CriPodTimes[] = [];
    const cpu = this.cpu();
    try {
      if (concurrent) {
        // Every pod settles before cleanup lists them, failed or not.
        const settled = await Promise.allSettled(Array.from({ length: count }, (_, i) => one(i)));
        for (const r of settled) {
          if (r.status === "rejected") throw r.reason;
          times.push(r.value);
        }
      } else {
        for (let i = 0; i < count; i++) {
          checkInterrupted();
          times.push(await one(i));
        }
      }
      const used = this.cpu(cpu);
      await removeCriPods(cri);
      return { pods: times, ...used };
    } catch (err) {
      await removeCriPods(cri).catch((e: Error) => console.error(`cleanup: ${e.message}`));
      throw err;
    }
  }

  /** CPU seconds the agent and the controller used so far, or since `since`. */
  cpu(since?: CpuUse): CpuUse {
    return {
      agentCpuS: cpuSeconds(this.cluster.agent?.child.pid) - (since?.agentCpuS ?? 0),
      controllerCpuS: cpuSeconds(this.cluster.controller.child.pid) - (since?.controllerCpuS ?? 0),
    };
  }

  memory(): Memory {
    const conmon = conmonRss(this.cluster.base.path);
    return {
      agentKiB: rssKiB(this.cluster.agent?.child.pid),
      controllerKiB: rssKiB(this.cluster.controller.child.pid),
      conmonCount: conmon.count,
      conmonKiB: conmon.kib,
    };
  }

  peaks(): RssPeaks {
    return new RssPeaks([this.cluster.agent?.child.pid, this.cluster.controller.child.pid]);
  }

  /** Removes everything this run made, whatever state it failed in; answers what leaked. */
  async tearDown(): Promise<string[]> {
    const ids = [this.cluster.cgroupParent];
    if (this.cluster.base) ids.push(this.cluster.base.path);
    if (this.cluster.etcd) ids.push(path.dirname(this.cluster.etcd.dataDir));
    if (this.cluster.network) ids.push(this.cluster.network.bridge, this.cluster.network.name);
    await this.api?.close().catch(() => undefined);
    await this.cluster.tearDown().catch((err: Error) => console.error(`cleanup: ${err.message}`));
    removeCgroupTree(this.cluster.cgroupParent);
    return leaksOf(ids);
  }

  private async nodeReady(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const node = await this.cluster.admin
        .get<Node>(`/api/v1/nodes/${this.cluster.nodeName}`)
        .catch(() => undefined);
      if (node?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) return;
      if (Date.now() > deadline) throw new Error(`node ${this.cluster.nodeName} not Ready in 30 s`);
      checkInterrupted();
      await sleep(100);
    }
  }

  /** Deletes the pods and waits until the API and the runtime have none of them left. */
  private async deleteKubeletPods(names: string[]): Promise<void> {
    const api = this.api!;
    await eachLimited(names, apiClients, async (name) => {
      const a = await api.request("DELETE", `/api/v1/namespaces/${namespace}/pods/${name}`);
      if (a.status !== 200 && a.status !== 202 && a.status !== 404) {
        throw answerError(`delete ${name}`, a);
      }
    });
    const deadline = Date.now() + 60_000 + names.length * 1_000;
    for (;;) {
      const listed = await api.request("GET", `/api/v1/namespaces/${namespace}/pods`);
      const left = (listed.body.items as Pod[] | undefined)?.length ?? -1;
      const runtime = await this.cluster.runtimeObjects();
      if (left === 0 && runtime.sandboxes.length + runtime.containers.length === 0) return;
      if (Date.now() > deadline || interrupted) {
        throw new Error(
          `after deleting: ${left} pods left in the API, ${runtime.sandboxes.length} sandboxes ` +
            `and ${runtime.containers.length} containers in the runtime`,
        );
      }
      await sleep(100);
    }
  }
}

function podTimes(
  issued: number,
  seen: WatchedPod,
  stamps: Map<string, RuntimeStamps>,
): KubeletPodTimes {
  const pod = seen.runningPod!;
  const startedAt = pod.status!.containerStatuses!.map((c) =>
    Date.parse(c.state!.running!.startedAt!),
  );
  return {
    issued,
    bound: seen.bound!,
    reported: seen.reported,
    running: seen.running!,
    creationStamp: Date.parse(pod.metadata!.creationTimestamp!),
    startedStamp: Math.max(...startedAt),
    runtime: stamps.get(pod.metadata!.uid!),
  };
}

/** An (emptied) cgroup and its descendants, deepest first, in every hierarchy. */
function removeCgroupTree(cgroup: string): void {
  const children = cgroupChildren(cgroup).map((c) => c.slice(c.indexOf("/")));
  for (const child of new Set(children)) removeCgroupTree(child);
  removeCgroupEverywhere(cgroup);
}

async function main(flags: Flags): Promise<Results> {
  const bench = new Bench();
  const loadBefore = os.loadavg()[0];
  try {
    await bench.setUp();
    // One pod through each path first: the measured runs start warm (JIT, sockets, image cache).
    await bench.kubeletPods("warm", 1, 0);
    await bench.criPods("warm-cri", 1, false);
    await sleep(2_000);
    const idle = bench.memory();
    const paced = await bench.kubeletPods("paced", flags.paced, 1_000);
    const criSequential = await bench.criPods("cri-seq", flags.paced, false);
    await sleep(2_000);
    const peaks = bench.peaks();
    let running: Memory | undefined;
    let burst: Phase<KubeletPodTimes>;
    try {
      burst = await bench.kubeletPods("burst", flags.burst, 0, async () => {
        // Statuses written and the agent quiet again before its memory is read.
        await sleep(3_000);
        running = bench.memory();
      });
    } finally {
      peaks.stop();
    }
    const criConcurrent = await bench.criPods("cri-conc", flags.burst, true);
    await sleep(2_000);
    const after = bench.memory();
    return {
      flags,
      cpus: os.cpus().length,
      load: [loadBefore, os.loadavg()[0]],
      paced,
      criSequential,
      burst,
      criConcurrent,
      memory: {
        idle,
        running: running!,
        after,
        peakAgentKiB: peaks.peakKiB[0],
        peakControllerKiB: peaks.peakKiB[1],
      },
    };
  } finally {
    const leaks = await bench.tearDown();
    if (leaks.length > 0) {
      console.error(`left behind:\n  ${leaks.join("\n  ")}`);
      process.exitCode = 1;
    }
  }
}

await runBench("pod-startup", readFlags, main, report);
