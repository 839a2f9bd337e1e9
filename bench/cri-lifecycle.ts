// Pod lifecycles through the agent's real CRI socket (RunPodSandbox … RemovePodSandbox) beside the
// floor under them: runc create/start/kill/delete of an equivalent bundle (an overlay of the same
// busybox snapshot, `runc spec` running the same command), driven directly. The two alternate, one
// lifecycle each per round, so both see the same machine; median and p90 per call, and ratios.
import { openSync, closeSync, promises as fs } from "node:fs";
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { criClient, type CriClient } from "../agent/cri/client.js";
import { chainIds } from "../agent/images/digest.js";
import { ImageStore } from "../agent/images/image-store.js";
import { importImages } from "../agent/images/import/import-image.js";
import { run } from "../lib/exec.js";
import { busyboxOneLayer } from "../test/fixtures/busybox-image.js";
import { writeOciLayout } from "../test/fixtures/oci-layout-writer.js";
import { startAgentProcess, type AgentProcess } from "../test/support/agent-process.js";
import { cgroupChildren, removeCgroupEverywhere } from "../test/support/cgroup-leaks.js";
import { containerConfig, podConfig } from "../test/support/cri-configs.js";
import { writeTestNetwork, type TestNetwork } from "../test/support/test-network.js";
import { summarize, timeMs, type Summary } from "./stats.js";

const runs = Number(process.env.BENCH_RUNS ?? 20);
const warmup = Number(process.env.BENCH_WARMUP ?? 2);
// sleep as pid 1 ignores SIGTERM (no handler, own PID namespace): this exits on TERM, as most apps do.
const script = "trap 'exit 0' TERM; while :; do sleep 0.1; done";
const berthCalls = [
  "RunPodSandbox",
  "CreateContainer",
  "StartContainer",
  "StopContainer",
  "RemoveContainer",
  "StopPodSandbox",
  "RemovePodSandbox",
] as const;
const floorSteps = ["create", "start", "kill+wait", "delete"] as const;
type Timings<K extends string> = Record<K, number>;

const stamp = `${process.pid}-${Date.now().toString(36)}`;
const base = await fs.mkdtemp(path.join(os.tmpdir(), "berth-bench-cri-"));
const agentCgroup = `/berth-bench-${stamp}`;
const floorCgroup = `/berth-bench-${stamp}-floor`;
const runcRoot = path.join(base, "runc-state");
let agent: AgentProcess | undefined;
let network: TestNetwork | undefined;
let cri: CriClient | undefined;
const floorLive = new Set<string>();

/** One pod with one container, created, started, stopped and removed through CRI. */
async function berthLifecycle(
  c: CriClient,
  i: number,
): Promise<Timings<(typeof berthCalls)[number]>> {
  const config = podConfig(base, `bench-${i}`);
  const t = {} as Timings<(typeof berthCalls)[number]>;
  let pod = "";
  let ctr = "";
  t.RunPodSandbox = await timeMs(async () => {
    pod = (await c.runtime("RunPodSandbox", { config })).pod_sandbox_id;
  });
  t.CreateContainer = await timeMs(async () => {
    ctr = (
      await c.runtime("CreateContainer", {
        pod_sandbox_id: pod,
        config: containerConfig("app", script),
        sandbox_config: config,
      })
    ).container_id;
  });
  t.StartContainer = await timeMs(() => c.runtime("StartContainer", { container_id: ctr }));
  t.StopContainer = await timeMs(() =>
    c.runtime("StopContainer", { container_id: ctr, timeout: 2 }),
  );
  const { status } = await c.runtime("ContainerStatus", { container_id: ctr });
  if (status.exit_code !== 0)
    throw new Error(`berth container exited ${status.exit_code}, not on TERM`);
  t.RemoveContainer = await timeMs(() => c.runtime("RemoveContainer", { container_id: ctr }));
  t.StopPodSandbox = await timeMs(() => c.runtime("StopPodSandbox", { pod_sandbox_id: pod }));
  t.RemovePodSandbox = await timeMs(() => c.runtime("RemovePodSandbox", { pod_sandbox_id: pod }));
  return t;
}

const runc = (args: string[]) => run("runc", ["--root", runcRoot, ...args], { timeoutMs: 30_000 });

/** `runc create` with the container's stdio on a file: a pipe would stay open as long as it runs. */
async function runcCreate(id: string, bundle: string): Promise<void> {
  const out = path.join(bundle, "output");
  const fd = openSync(out, "w");
  try {
    const child = spawn("runc", ["--root", runcRoot, "create", "--bundle", bundle, id], {
      stdio: ["ignore", fd, fd],
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", resolve);
    });
    if (code !== 0)
      throw new Error(`runc create ${id}: exit ${code}: ${await fs.readFile(out, "utf8")}`);
  } finally {
    closeSync(fd);
  }
}

/** Whether a pid is gone or a zombie: nobody here is its parent, so it cannot be waited for. */
async function exited(pid: number): Promise<boolean> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, "utf8");
    return /^[ZX]$/.test(stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3));
  } catch {
    return true;
  }
}

async function floorLifecycle(
  spec: Record<string, unknown> & { linux: Record<string, unknown> },
  lowers: string[],
  i: number,
): Promise<Timings<(typeof floorSteps)[number]>> {
  const id = `berth-bench-floor-${stamp}-${i}`;
  const bundle = path.join(base, "floor", String(i));
  const rootfs = path.join(bundle, "rootfs");
  const t = {} as Timings<(typeof floorSteps)[number]>;
  t.create = await timeMs(async () => {
    for (const dir of ["upper", "work", "rootfs"])
      await fs.mkdir(path.join(bundle, dir), { recursive: true });
    const options = `lowerdir=${lowers.join(":")},upperdir=${bundle}/upper,workdir=${bundle}/work`;
    await run("mount", ["-t", "overlay", "overlay", "-o", options, rootfs]);
    const config = { ...spec, linux: { ...spec.linux, cgroupsPath: `${floorCgroup}/${id}` } };
    await fs.writeFile(path.join(bundle, "config.json"), JSON.stringify(config));
    floorLive.add(id);
    await runcCreate(id, bundle);
  });
  t.start = await timeMs(() => runc(["start", id]));
  const { pid } = JSON.parse((await runc(["state", id])).stdout) as { pid: number };
  t["kill+wait"] = await timeMs(async () => {
    await runc(["kill", id, "TERM"]);
    const deadline = Date.now() + 2000;
    while (!(await exited(pid))) {
      if (Date.now() > deadline) throw new Error(`runc container ${id} ignored SIGTERM`);
      await sleep(2);
    }
  });
  t.delete = await timeMs(async () => {
    await runc(["delete", id]);
    floorLive.delete(id);
    await run("umount", [rootfs]);
    await fs.rm(bundle, { recursive: true, force: true });
  });
  return t;
}

/** The bundle config every floor container shares: `runc spec`, running the bench's command. */
async function floorSpec() {
  const dir = path.join(base, "floor-spec");
  await fs.mkdir(dir, { recursive: true });
  await run("runc", ["spec", "--bundle", dir]);
  const spec = JSON.parse(await fs.readFile(path.join(dir, "config.json"), "utf8"));
  spec.process.terminal = false;
  spec.process.args = ["/bin/sh", "-c", script];
  spec.root = { path: "rootfs", readonly: false };
  return spec as Record<string, unknown> & { linux: Record<string, unknown> };
}

/** Everything this run made, whatever state it failed in; safe to call twice. */
async function cleanUp(): Promise<void> {
  const step = (what: string, fn: () => Promise<unknown>) =>
    fn().catch((err: Error) => console.error(`cleanup: ${what}: ${err.message}`));
  // A terminal's Ctrl-C reaches the agent too: a fresh one recovers the pods from disk to remove them.
  if (agent && (agent.child.exitCode !== null || agent.child.signalCode !== null)) {
    await step("agent restart", async () => {
      cri?.close();
      agent = await startAgentProcess(base, ["--cgroup-parent", agentCgroup]);
      cri = criClient(agent.socket);
    });
  }
  if (cri) {
    const c = cri;
    await step("pods", async () => {
      for (const pod of (await c.runtime("ListPodSandbox", {})).items)
        await c.runtime("RemovePodSandbox", { pod_sandbox_id: pod.id });
    });
    c.close();
    cri = undefined;
  }
  if (agent) {
    const a = agent;
    await step("agent", () => Promise.race([a.stop(), sleep(15_000).then(() => a.kill())]));
    agent = undefined;
  }
  for (const id of floorLive) await step(`runc ${id}`, () => runc(["delete", "--force", id]));
  floorLive.clear();
  await step("mounts", async () => {
    const mountinfo = await fs.readFile("/proc/self/mountinfo", "utf8");
    const ours = mountinfo
      .split("\n")
      .map((l) => l.split(" ")[4])
      .filter((m) => m?.startsWith(base + "/"))
      .sort((a, b) => b.length - a.length);
    for (const m of ours) await run("umount", [m]);
  });
  if (network) await step("bridge", () => network!.remove());
  for (const parent of [agentCgroup, floorCgroup]) removeCgroupTree(parent);
  await step("temp dir", () => fs.rm(base, { recursive: true, force: true }));
}

/** An (emptied) cgroup and its descendants, deepest first, in every hierarchy. */
function removeCgroupTree(cgroup: string): void {
  const children = cgroupChildren(cgroup).map((c) => c.slice(c.indexOf("/")));
  for (const child of new Set(children)) removeCgroupTree(child);
  removeCgroupEverywhere(cgroup);
}

function printRows(title: string, rows: [string, Summary][]): void {
  console.log(title);
  for (const [name, s] of rows)
    console.log(
      `  ${name.padEnd(18)} ${s.median.toFixed(1).padStart(8)} ${s.p90.toFixed(1).padStart(8)}`,
    );
}

async function main(): Promise<void> {
  const layout = path.join(base, "layout");
  await writeOciLayout(layout, [
    { image: await busyboxOneLayer(), refNames: ["docker.io/library/busybox:latest"] },
  ]);
  const store = await ImageStore.open(path.join(base, "root"));
  const [image] = await importImages(store, layout);
  const lowers = store.snapshots.lowerDirs(chainIds(image.diffIds));
  const spec = await floorSpec();
  // Its own bridge and subnet (never the default berth0), removed in cleanUp.
  network = await writeTestNetwork(base);
  agent = await startAgentProcess(base, ["--cgroup-parent", agentCgroup]);
  cri = criClient(agent.socket);

  const berth: Timings<(typeof berthCalls)[number]>[] = [];
  const floor: Timings<(typeof floorSteps)[number]>[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    if (interrupted) throw new Error(`interrupted by ${interrupted}`);
    const b = await berthLifecycle(cri, i);
    const f = await floorLifecycle(spec, lowers, i);
    if (i >= warmup) {
      berth.push(b);
      floor.push(f);
    }
  }

  const sum = <K extends string>(t: Timings<K>, keys: readonly K[]) =>
    keys.reduce((n, k) => n + t[k], 0);
  const berthStats = Object.fromEntries(
    berthCalls.map((k) => [k, summarize(berth.map((t) => t[k]))]),
  );
  const floorStats = Object.fromEntries(
    floorSteps.map((k) => [k, summarize(floor.map((t) => t[k]))]),
  );
  const totals = {
    berthCreateStart: summarize(berth.map((t) => sum(t, ["CreateContainer", "StartContainer"]))),
    floorCreateStart: summarize(floor.map((t) => sum(t, ["create", "start"]))),
    berthContainer: summarize(
      berth.map((t) =>
        sum(t, ["CreateContainer", "StartContainer", "StopContainer", "RemoveContainer"]),
      ),
    ),
    berthLifecycle: summarize(berth.map((t) => sum(t, berthCalls))),
    floorLifecycle: summarize(floor.map((t) => sum(t, floorSteps))),
  };
  const ratio = (a: Summary, b: Summary) => Number((a.median / b.median).toFixed(2));
  const ratios = {
    createStart: ratio(totals.berthCreateStart, totals.floorCreateStart),
    containerLifecycle: ratio(totals.berthContainer, totals.floorLifecycle),
    podLifecycle: ratio(totals.berthLifecycle, totals.floorLifecycle),
  };

  console.log(`${runs} lifecycles each (after ${warmup} warm-up), alternating, in ms:`);
  console.log(`${"".padEnd(20)} ${"median".padStart(8)} ${"p90".padStart(8)}`);
  printRows("berth (CRI socket)", Object.entries(berthStats));
  printRows("floor (runc direct)", Object.entries(floorStats));
  printRows("totals", [
    ["berth create+start", totals.berthCreateStart],
    ["floor create+start", totals.floorCreateStart],
    ["berth container", totals.berthContainer],
    ["berth pod", totals.berthLifecycle],
    ["floor lifecycle", totals.floorLifecycle],
  ]);
  console.log(
    `ratio berth/floor: create+start ${ratios.createStart}, container lifecycle ${ratios.containerLifecycle}, pod lifecycle ${ratios.podLifecycle}`,
  );
  const round = (s: Record<string, Summary>) =>
    Object.fromEntries(
      Object.entries(s).map(([k, v]) => [
        k,
        { median: +v.median.toFixed(2), p90: +v.p90.toFixed(2) },
      ]),
    );
  console.log(
    JSON.stringify({
      bench: "cri-lifecycle",
      runs,
      unit: "ms",
      berth: round(berthStats),
      floor: round(floorStats),
      totals: round(totals),
      ratios,
    }),
  );
}

// A signal stops the rounds at the next step boundary; cleanup then runs as after any failure.
let interrupted: string | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => (interrupted = signal));
try {
  await main();
} catch (err) {
  console.error(`bench failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
