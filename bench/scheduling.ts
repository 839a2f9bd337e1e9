// Scheduling throughput: etcd, a `berth controller` process and --nodes simulated nodes
// (kwok-like, heartbeats at their default); --pods pods created as fast as the API takes them by
// --clients concurrent keep-alive clients, then watched until bound and Running. Beside it in the
// same run, the reference: the same creates with a schedulerName nobody serves (pure API create
// throughput, the pods stay Pending). Reports create, binding and Running rates, their ratio to
// the reference, and the controller's memory (VmRSS) during and after.
//   node dist/bench/scheduling.js [--nodes 1000] [--pods 10000] [--clients 16] [--profile-dir D]
// --profile-dir runs the controller under `node --cpu-prof` and leaves its .cpuprofile there.
import { spawn } from "node:child_process";
import { promises as fs, readFileSync } from "node:fs";
import type { ClientRequest } from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { pkiLayout } from "../controller/pki/pki-layout.js";
import { berthBin } from "../test/support/berth-process.js";
import {
  startControllerProcess,
  type ControllerProcess,
} from "../test/support/controller-process.js";
import { startEtcd, type TestEtcd } from "../test/support/etcd-server.js";
import { answerError, SimApiClient, type SimTls } from "../test/support/sim-api-client.js";
import { startSimulatedNodes, type SimulatedNodes } from "../test/support/simulated-nodes.js";
import { percentile } from "./stats.js";
import { runBench } from "./run-bench.js";

// scheduler_perf's SchedulingBasic at 5000 nodes, as Kubernetes publishes it: context only.
const kubeSchedulerThreshold = "680–810 pods/s at 5000 nodes";
const unservedScheduler = "bench-nobody-schedules";
const settleMs = 5_000;

interface Flags {
  nodes: number;
  pods: number;
  clients: number;
  profileDir?: string;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

function readFlags(argv: string[]): Flags {
  const { values } = parseArgs({
    args: argv,
    options: {
      nodes: { type: "string", default: "1000" },
      pods: { type: "string", default: "10000" },
      clients: { type: "string", default: "16" },
      "profile-dir": { type: "string" },
    },
  });
  const count = (flag: "nodes" | "pods" | "clients", max: number) => {
    const text = values[flag]!;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < 1 || n > max) {
      throw new Error(`--${flag} must be a whole number from 1 to ${max}, not ${text}`);
    }
    return n;
  };
  const profileDir = values["profile-dir"];
  return {
    nodes: count("nodes", 65_000),
    pods: count("pods", 1_000_000),
    clients: count("clients", 512),
    profileDir: profileDir ? path.resolve(profileDir) : undefined,
  };
}

function pod(name: string, schedulerName?: string) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: { app: "bench" } },
    spec: {
      ...(schedulerName ? { schedulerName } : {}),
      containers: [
        {
          name: "c",
          image: "busybox:1.36",
          resources: { requests: { cpu: "100m", memory: "64Mi" } },
        },
      ],
    },
  };
}

/** A process's resident memory (VmRSS) in KiB. */
function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
}

/** A process's CPU time so far (utime + stime), in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // In clock ticks: USER_HZ, 100 on Linux.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Keeps the peak VmRSS of a process, sampled every 250 ms. */
class RssPeak {
  peakKiB = 0;
  private readonly timer = setInterval(() => this.sample(), 250);

  constructor(private readonly pid: number) {
    this.sample();
  }

  /** Starts a new peak, e.g. at the start of a phase. */
  reset(): void {
    this.peakKiB = rssKiB(this.pid);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    try {
      this.peakKiB = Math.max(this.peakKiB, rssKiB(this.pid));
    } catch {
      // the process is gone: stop() follows
    }
  }
}

/** When each pod of one namespace was first seen at all, bound, and Running. */
class PodTimes {
  readonly addedAt = new Map<string, number>();
  readonly boundAt = new Map<string, number>();
  readonly runningAt = new Map<string, number>();
  private request?: ClientRequest;
  private failure?: Error;
  private stopped = false;

  async start(client: SimApiClient, namespace: string): Promise<void> {
    const p = `/api/v1/namespaces/${namespace}/pods`;
    const listed = await client.request("GET", p);
    if (listed.status !== 200) throw answerError(`list ${p}`, listed);
    if (listed.body.items.length > 0) throw new Error(`${namespace} is not empty`);
    const req = https.request(
      `${client.url}${p}?watch=true&timeoutSeconds=3600` +
        `&resourceVersion=${listed.body.metadata.resourceVersion}`,
      { ...client.tls, agent: false, headers: { accept: "application/json" } },
    );
    this.request = req;
    req.on("error", (err) => this.fail(`pod watch: ${err.message}`));
    req.on("response", (res) => {
      if (res.statusCode !== 200) return this.fail(`pod watch: HTTP ${res.statusCode}`);
      res.setEncoding("utf8");
      let buffered = "";
      res.on("data", (text: string) => {
        buffered += text;
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          if (line.trim()) this.handle(JSON.parse(line));
        }
      });
      res.on("end", () => this.fail("pod watch: the server ended the stream"));
    });
    req.end();
  }

  check(): void {
    if (this.failure) throw this.failure;
  }

  stop(): void {
    this.stopped = true;
    this.request?.destroy();
  }

  private handle(event: {
    type: string;
    object: {
      metadata: { name: string };
      spec?: { nodeName?: string };
      status?: { phase?: string };
    };
  }): void {
    if (event.type === "ERROR") return this.fail(`pod watch: ${JSON.stringify(event.object)}`);
    const { name } = event.object.metadata;
    const at = now();
    if (!this.addedAt.has(name)) this.addedAt.set(name, at);
    if (event.object.spec?.nodeName && !this.boundAt.has(name)) this.boundAt.set(name, at);
    if (event.object.status?.phase === "Running" && !this.runningAt.has(name)) {
      this.runningAt.set(name, at);
    }
  }

  private fail(message: string): void {
    if (!this.stopped) this.failure ??= new Error(message);
  }
}

/** `<series>_sum` and `<series>_count` of the controller's latency histograms, by series. */
async function latencyTotals(api: SimApiClient): Promise<Map<string, number>> {
  const answer = await api.request("GET", "/metrics");
  if (answer.status !== 200) throw answerError("GET /metrics", answer);
  const totals = new Map<string, number>();
  for (const line of String(answer.body).split("\n")) {
    const m =
      /^(etcd_request_duration_seconds|apiserver_request_duration_seconds)_(sum|count)(\{.*\}) (\S+)$/.exec(
        line,
      );
    if (m) totals.set(`${m[1]}${m[3]} ${m[2]}`, Number(m[4]));
  }
  return totals;
}

/** Mean latency and count per series between two latencyTotals, the busiest first. */
function latencyLines(before: Map<string, number>, after: Map<string, number>): string[] {
  const rows: Array<{ series: string; count: number; meanMs: number }> = [];
  for (const [key, count] of after) {
    if (!key.endsWith(" count")) continue;
    const series = key.slice(0, -" count".length);
    const n = count - (before.get(key) ?? 0);
    if (n < 1) continue;
    const sum = (after.get(`${series} sum`) ?? 0) - (before.get(`${series} sum`) ?? 0);
    rows.push({ series, count: n, meanMs: (sum * 1000) / n });
  }
  const label = (series: string) =>
    series
      .replace(/^etcd_request_duration_seconds/, "etcd ")
      .replace(/^apiserver_request_duration_seconds/, "API  ")
      .replace(/(dry_run|group|version|scope|component)="[^"]*",?/g, "")
      .replace(/,\}$/, "}");
  return rows
    .sort((a, b) => b.count * b.meanMs - a.count * a.meanMs)
    .slice(0, 12)
    .map((r) => `  ${label(r.series)}: ${r.count} × ${fixed(r.meanMs, 1)} ms`);
}

interface CreateRun {
  firstSentAt: number;
  lastDoneAt: number;
  latenciesMs: number[];
  /** When each pod's create was answered, by name. */
  createdAt: Map<string, number>;
  /** Requests sent beyond one per pod: 429/5xx retries. */
  retries: number;
}

/** Creates `count` pods in `namespace` from `clients` concurrent workers sharing one client. */
async function createPods(
  api: SimApiClient,
  namespace: string,
  count: number,
  clients: number,
  schedulerName?: string,
): Promise<CreateRun> {
  const latenciesMs: number[] = [];
  const createdAt = new Map<string, number>();
  const requestsBefore = api.requests;
  let next = 0;
  const firstSentAt = now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < count; i = next++) {
        const sent = now();
        const answer = await api.request(
          "POST",
          `/api/v1/namespaces/${namespace}/pods`,
          pod(`p-${i}`, schedulerName),
        );
        if (answer.status !== 201) throw answerError(`create ${namespace}/p-${i}`, answer);
        const done = now();
        latenciesMs.push(done - sent);
        createdAt.set(`p-${i}`, done);
      }
    }),
  );
  return {
    firstSentAt,
    lastDoneAt: now(),
    latenciesMs,
    createdAt,
    retries: api.requests - requestsBefore - count,
  };
}

const rate = (count: number, ms: number) => (count * 1000) / ms;
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const fixed = (n: number, digits = 0) => n.toFixed(digits);

/** Bindings per second between the 10th and the 90th percentile binding. */
function steadyRate(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  const from = Math.floor(sorted.length * 0.1);
  const to = Math.ceil(sorted.length * 0.9) - 1;
  return to > from ? rate(to - from, sorted[to] - sorted[from]) : NaN;
}

async function waitForControllers(controller: ControllerProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!controller.stderr().includes('"message":"controllers started"')) {
    if (Date.now() > deadline) {
      throw new Error(`the controller never started its controllers:\n${controller.stderr()}`);
    }
    await sleep(50);
  }
}

/**
 * `berth controller` under `node --cpu-prof` (not allowed in NODE_OPTIONS), as
 * startControllerProcess starts it otherwise; the profile is written when it stops.
 */
async function startProfiledController(
  work: string,
  etcd: string,
  profileDir: string,
): Promise<ControllerProcess> {
  await fs.mkdir(profileDir, { recursive: true });
  const dataDir = path.join(work, "controller");
  const args = ["controller", "--etcd-servers", etcd, "--listen", "127.0.0.1:0"];
  const child = spawn(
    process.execPath,
    ["--cpu-prof", "--cpu-prof-dir", profileDir, berthBin, ...args, "--data-dir", dataDir],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const servingUrl = () => /"url":"(https:\/\/127\.0\.0\.1:\d+)"/.exec(stderr)?.[1];
  const deadline = Date.now() + 20_000;
  while (!servingUrl()) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`berth controller did not start: ${stderr}`);
    }
    await sleep(25);
  }
  const url = servingUrl()!;
  return {
    child,
    url,
    port: Number(new URL(url).port),
    kubeconfig: path.join(dataDir, "admin.kubeconfig"),
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

async function main(flags: Flags): Promise<void> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), "berth-bench-scheduling-"));
  let etcd: TestEtcd | undefined;
  let controller: ControllerProcess | undefined;
  let api: SimApiClient | undefined;
  let sim: SimulatedNodes | undefined;
  let sampler: RssPeak | undefined;
  let times: PodTimes | undefined;
  try {
    etcd = await startEtcd();
    controller = flags.profileDir
      ? await startProfiledController(work, etcd.endpoint, flags.profileDir)
      : await startControllerProcess(work, etcd.endpoint);
    await waitForControllers(controller);
    const layout = pkiLayout(path.join(work, "controller"));
    const tls: SimTls = {
      ca: readFileSync(layout.caCert),
      cert: readFileSync(layout.adminCert),
      key: readFileSync(layout.adminKey),
    };
    const pid = controller.child.pid!;
    sampler = new RssPeak(pid);
    const rssIdle = rssKiB(pid);
    api = new SimApiClient(controller.url, tls, flags.clients);
    for (const name of ["bench-warm", "bench-sched", "bench-ref"]) {
      const answer = await api.request("POST", "/api/v1/namespaces", { metadata: { name } });
      if (answer.status !== 201) throw answerError(`create namespace ${name}`, answer);
    }

    const registering = now();
    sim = await startSimulatedNodes({
      url: controller.url,
      ...tls,
      count: flags.nodes,
      concurrency: 64,
    });
    const registerMs = now() - registering;
    const rssNodes = rssKiB(pid);
    console.log(
      `${flags.nodes} simulated nodes registered in ${fixed(registerMs)} ms; ` +
        `controller RSS ${mib(rssIdle)} idle, ${mib(rssNodes)} with the nodes`,
    );

    // Warms the create path (TLS, JIT) for both runs; these pods stay Pending.
    const warm = Math.min(500, Math.ceil(flags.pods / 10));
    await createPods(api, "bench-warm", warm, flags.clients, unservedScheduler);
    await sleep(1_000);

    times = new PodTimes();
    await times.start(api, "bench-sched");
    const metricsBefore = await latencyTotals(api);
    sampler.reset();
    const etcdPid = etcd.pid()!;
    const cpuBefore = { controller: cpuSeconds(pid), etcd: cpuSeconds(etcdPid) };
    const ownCpuBefore = process.cpuUsage();
    const progress = setInterval(() => {
      console.log(
        `  … ${times!.boundAt.size} bound, ${times!.runningAt.size} Running, ` +
          `controller RSS ${mib(rssKiB(pid))}`,
      );
    }, 5_000);
    let scheduled: CreateRun;
    try {
      scheduled = await createPods(api, "bench-sched", flags.pods, flags.clients);
      const waitMs = Math.max(120_000, flags.pods * 30);
      const deadline = Date.now() + waitMs;
      while (times.runningAt.size < flags.pods) {
        times.check();
        if (Date.now() > deadline) {
          throw new Error(
            `only ${times.boundAt.size} of ${flags.pods} pods bound and ` +
              `${times.runningAt.size} Running ${waitMs / 1000} s after the last create`,
          );
        }
        await sleep(20);
      }
    } finally {
      clearInterval(progress);
    }
    const cpuController = cpuSeconds(pid) - cpuBefore.controller;
    const cpuEtcd = cpuSeconds(etcdPid) - cpuBefore.etcd;
    const own = process.cpuUsage(ownCpuBefore);
    const rssPeak = sampler.peakKiB;
    const metricsScheduled = await latencyTotals(api);
    await sleep(settleMs);
    const rssSettled = rssKiB(pid);

    const reference = await createPods(
      api,
      "bench-ref",
      flags.pods,
      flags.clients,
      unservedScheduler,
    );
    const rssEnd = rssKiB(pid);
    const metricsReference = await latencyTotals(api);
    report(flags, {
      scheduled,
      reference,
      added: times.addedAt,
      bound: times.boundAt,
      running: times.runningAt,
      cpu: {
        controller: cpuController,
        etcd: cpuEtcd,
        bench: (own.user + own.system) / 1e6,
      },
      rss: { idle: rssIdle, nodes: rssNodes, peak: rssPeak, settled: rssSettled, end: rssEnd },
      sim: sim.stats(),
      latencies: {
        scheduled: latencyLines(metricsBefore, metricsScheduled),
        reference: latencyLines(metricsScheduled, metricsReference),
      },
    });
  } finally {
    times?.stop();
    sampler?.stop();
    await sim?.stop().catch((err) => console.error(`simulated nodes: ${err.message}`));
    await api?.close();
    await controller?.stop();
    await etcd?.stop();
    await fs.rm(work, { recursive: true, force: true });
  }
}

interface Results {
  scheduled: CreateRun;
  reference: CreateRun;
  /** When each pod was first seen in the watch, bound, Running, by name. */
  added: Map<string, number>;
  bound: Map<string, number>;
  running: Map<string, number>;
  cpu: { controller: number; etcd: number; bench: number };
  rss: { idle: number; nodes: number; peak: number; settled: number; end: number };
  sim: ReturnType<SimulatedNodes["stats"]>;
  /** Mean API and etcd latencies by operation, from the controller's metrics. */
  latencies: { scheduled: string[]; reference: string[] };
}

function report(flags: Flags, r: Results): void {
  const start = r.scheduled.firstSentAt;
  const createMs = r.scheduled.lastDoneAt - start;
  const refMs = r.reference.lastDoneAt - r.reference.firstSentAt;
  const boundTimes = [...r.bound.values()];
  const latest = (times: Iterable<number>) => [...times].reduce((a, b) => Math.max(a, b));
  const lastBound = latest(boundTimes);
  const lastRunning = latest(r.running.values());
  const sinceCreated = (times: Map<string, number>) =>
    [...times].map(([name, at]) => at - r.scheduled.createdAt.get(name)!);
  const createRate = rate(flags.pods, createMs);
  const refRate = rate(flags.pods, refMs);
  const bindRate = rate(flags.pods, lastBound - start);
  const steady = steadyRate(boundTimes);
  const latency = (s: number[]) =>
    `p50 ${fixed(percentile(s, 50), 1)} ms, p99 ${fixed(percentile(s, 99), 1)} ms`;
  const wallS = (lastRunning - start) / 1000;
  console.log(
    `${flags.pods} pods over ${flags.nodes} simulated nodes, ${flags.clients} concurrent clients`,
  );
  console.log(
    `create (scheduled run)   ${fixed(createRate)} pods/s over ${fixed(createMs)} ms ` +
      `(${latency(r.scheduled.latenciesMs)}, ${r.scheduled.retries} retries)`,
  );
  console.log(
    `create (reference: schedulerName nobody serves, pods stay Pending)  ${fixed(refRate)} pods/s ` +
      `over ${fixed(refMs)} ms (${latency(r.reference.latenciesMs)}, ${r.reference.retries} retries)`,
  );
  console.log(
    `scheduling               ${fixed(bindRate)} pods/s first create → last binding ` +
      `(${fixed(lastBound - start)} ms); steady state (middle 80% of bindings) ${fixed(steady)} pods/s`,
  );
  console.log(
    `all Running              ${fixed(lastRunning - start)} ms after the first create ` +
      `(${fixed(rate(flags.pods, lastRunning - start))} pods/s)`,
  );
  console.log(
    `per pod, create answered → in the watch ${latency(sinceCreated(r.added))}; ` +
      `→ bound ${latency(sinceCreated(r.bound))}; ` +
      `→ Running ${latency(sinceCreated(r.running))}`,
  );
  console.log(
    `ratio scheduling / reference create: ${fixed(bindRate / refRate, 2)} (overall), ` +
      `${fixed(steady / refRate, 2)} (steady state)`,
  );
  console.log(`context: kube-scheduler's published threshold ${kubeSchedulerThreshold}`);
  console.log(
    `CPU during the scheduled run (${fixed(wallS, 1)} s wall, ${os.cpus().length} CPUs): ` +
      `controller ${fixed(r.cpu.controller, 1)} s, etcd ${fixed(r.cpu.etcd, 1)} s, ` +
      `bench + simulated nodes ${fixed(r.cpu.bench, 1)} s`,
  );
  console.log(
    `controller RSS: ${mib(r.rss.idle)} idle, ${mib(r.rss.nodes)} with nodes, ` +
      `peak ${mib(r.rss.peak)} while scheduling, ${mib(r.rss.settled)} ${settleMs / 1000} s after, ` +
      `${mib(r.rss.end)} final (after the reference's ${flags.pods} Pending pods too)`,
  );
  console.log(`simulated nodes: ${JSON.stringify(r.sim)}`);
  console.log(`where the controller's requests spent their time, scheduled run:`);
  for (const line of r.latencies.scheduled) console.log(line);
  console.log(`reference run:`);
  for (const line of r.latencies.reference) console.log(line);
}

await runBench("scheduling", readFlags, main);
