// Measuring tools for bench/pod-startup.ts: a pod watch that notes when each pod was bound, first
// reported by the kubelet and Running; the raw-CRI reference pod; the runtime's own timestamps;
// processes' memory; and the leak check limited to what one run made.
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { CriClient } from "../agent/cri/client.js";
import type { Pod } from "../agent/kube/types.js";
import { criLabels } from "../agent/kubelet/spec/pod-labels.js";
import { containerConfig, podConfig } from "../test/support/cri-configs.js";
import { findLeaks } from "../test/support/leak-check.js";
import { watchObjects, type ObjectWatch } from "../test/support/object-watch.js";
import type { SimApiClient } from "../test/support/sim-api-client.js";
import { percentile } from "./stats.js";

/** Wall-clock ms with sub-ms precision: comparable with the agent's and controller's stamps. */
export const wallMs = () => performance.timeOrigin + performance.now();

export interface Percentiles {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function percentiles(samples: number[]): Percentiles {
  const at = (p: number) => (samples.length ? percentile(samples, p) : NaN);
  return { n: samples.length, p50: at(50), p90: at(90), p99: at(99), max: at(100) };
}

/** When the bench saw each pod bound, first reported by the kubelet, and Running (wall ms). */
export interface WatchedPod {
  bound?: number;
  reported?: number;
  running?: number;
  /** The pod as it was when first seen Running. */
  runningPod?: Pod;
}

/** All of the pod's containers running, as Kubernetes' SLO counts a pod started. */
export function podRunning(pod: Pod): boolean {
  const statuses = pod.status?.containerStatuses ?? [];
  return (
    pod.status?.phase === "Running" &&
    statuses.length === (pod.spec?.containers?.length ?? 0) &&
    statuses.every((c) => c.state?.running)
  );
}

/** A watch on one namespace's pods, noting the moments of each pod's start as they arrive. */
export class StartupWatch {
  readonly pods = new Map<string, WatchedPod>();
  private watch?: ObjectWatch;

  async start(api: SimApiClient, namespace: string): Promise<void> {
    this.watch = await watchObjects(api, `/api/v1/namespaces/${namespace}/pods`, "", (_, type, o) =>
      this.handle(type, o as Pod | undefined),
    );
  }

  runningCount(names: string[]): number {
    return names.filter((n) => this.pods.get(n)?.running !== undefined).length;
  }

  /** Resolves once every named pod was seen Running; throws on a broken watch or the deadline. */
  async waitRunning(names: string[], timeoutMs: number, stop: () => string | undefined) {
    const deadline = Date.now() + timeoutMs;
    while (this.runningCount(names) < names.length) {
      const failure = this.watch?.failure();
      if (failure) throw failure;
      const why = stop();
      if (why) throw new Error(`interrupted by ${why}`);
      if (Date.now() > deadline) {
        const late = names.filter((n) => this.pods.get(n)?.running === undefined);
        throw new Error(
          `${late.length} of ${names.length} pods not Running after ${timeoutMs / 1000} s ` +
            `(e.g. ${late.slice(0, 5).join(", ")})`,
        );
      }
      await sleep(10);
    }
  }

  stop(): void {
    this.watch?.stop();
  }

  private handle(type: string, pod: Pod | undefined): void {
    const name = pod?.metadata?.name;
    if (!pod || !name || type === "DELETED" || type === "LIST") return;
    const at = wallMs();
    const seen = this.pods.get(name) ?? {};
    this.pods.set(name, seen);
    if (pod.spec?.nodeName) seen.bound ??= at;
    // startTime and hostIP come from the kubelet only: its first status write.
    if (pod.status?.startTime || pod.status?.hostIP) seen.reported ??= at;
    if (seen.running === undefined && podRunning(pod)) {
      seen.running = at;
      seen.runningPod = pod;
    }
  }
}

/** Wall ms after each CRI call of one reference pod returned (`start`: before the first). */
export interface CriPodTimes {
  start: number;
  sandboxRun: number;
  containerCreated: number;
  containerStarted: number;
}

/** The label the bench's raw-CRI pods carry, so cleanup finds them all (and only them). */
export const criBenchLabel = "berth-bench-pod-startup";

/** One pod as crictl would run it: RunPodSandbox, CreateContainer, StartContainer. */
export async function criReferencePod(
  cri: CriClient,
  base: string,
  name: string,
  script: string,
): Promise<CriPodTimes> {
  const config = podConfig(base, name, { labels: { app: name, [criBenchLabel]: "true" } });
  const start = wallMs();
  const sandbox = (await cri.runtime("RunPodSandbox", { config })).pod_sandbox_id as string;
  const sandboxRun = wallMs();
  const created = await cri.runtime("CreateContainer", {
    pod_sandbox_id: sandbox,
    config: containerConfig("app", script),
    sandbox_config: config,
  });
  const containerCreated = wallMs();
  await cri.runtime("StartContainer", { container_id: created.container_id });
  return { start, sandboxRun, containerCreated, containerStarted: wallMs() };
}

/** Stops and removes the bench's raw-CRI pods, `concurrency` at a time; answers how many. */
export async function removeCriPods(cri: CriClient, concurrency = 8): Promise<number> {
  const filter = { label_selector: { [criBenchLabel]: "true" } };
  const ids = ((await cri.runtime("ListPodSandbox", { filter })).items as { id: string }[]).map(
    (s) => s.id,
  );
  await eachLimited(ids, concurrency, async (id) => {
    await cri.runtime("StopPodSandbox", { pod_sandbox_id: id });
    await cri.runtime("RemovePodSandbox", { pod_sandbox_id: id });
  });
  return ids.length;
}

/** When the runtime began a pod's RunPodSandbox, CreateContainer and runc start (wall ms). */
export interface RuntimeStamps {
  sandboxCreated: number;
  containerCreated: number;
  containerStarted: number;
}

const nanosToMs = (ns: string) => Number(BigInt(ns) / 1000n) / 1000;

/** The runtime's stamps for each kubelet pod with one container, by pod uid. */
export async function runtimeStamps(cri: CriClient): Promise<Map<string, RuntimeStamps>> {
  type Entry = { id: string; created_at: string; labels: Record<string, string> };
  const sandboxes = (await cri.runtime("ListPodSandbox", {})).items as Entry[];
  const containers = (await cri.runtime("ListContainers", {})).containers as Entry[];
  const sandboxAt = new Map<string, number>();
  for (const s of sandboxes) {
    const uid = s.labels[criLabels.podUid];
    if (uid) sandboxAt.set(uid, nanosToMs(s.created_at));
  }
  const stamps = new Map<string, RuntimeStamps>();
  await eachLimited(containers, 16, async (c) => {
    const uid = c.labels[criLabels.podUid];
    const sandboxCreated = uid ? sandboxAt.get(uid) : undefined;
    if (!uid || sandboxCreated === undefined) return;
    const { status } = await cri.runtime("ContainerStatus", { container_id: c.id });
    stamps.set(uid, {
      sandboxCreated,
      containerCreated: nanosToMs(c.created_at),
      containerStarted: nanosToMs(status.started_at),
    });
  });
  return stamps;
}

/** Runs `fn` over `items`, at most `limit` at once; the first failure rejects. */
export async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A process's resident memory (VmRSS) in KiB; 0 once it is gone. */
export function rssKiB(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** A process's CPU time so far (utime + stime, all threads) in seconds; 0 once it is gone. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // In clock ticks: USER_HZ, 100 on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** How many conmon processes monitor containers under `dir`, and their summed VmRSS in KiB. */
export function conmonRss(dir: string): { count: number; kib: number } {
  let count = 0;
  let kib = 0;
  for (const pid of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (!argv[0].endsWith("conmon") || !argv.some((a) => a.startsWith(dir))) continue;
      count++;
      kib += rssKiB(Number(pid));
    } catch {
      // it ended while we looked
    }
  }
  return { count, kib };
}

/** The peak VmRSS of some processes, sampled every 200 ms until stopped. */
export class RssPeaks {
  readonly peakKiB: number[];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pids: (number | undefined)[]) {
    this.peakKiB = pids.map((pid) => rssKiB(pid));
    this.timer = setInterval(() => {
      this.pids.forEach((pid, i) => (this.peakKiB[i] = Math.max(this.peakKiB[i], rssKiB(pid))));
    }, 200);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Host resources left behind that name one of `ids` (this run's dir, cgroup, bridge, network). */
export function leaksOf(ids: string[]): string[] {
  return findLeaks().filter((leak) => ids.some((id) => leak.includes(id)));
}
