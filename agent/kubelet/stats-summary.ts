import { listPodSandboxStats } from "../cri/runtime/list-pod-sandbox-stats.js";
import type { ContainerStats } from "../../proto/gen/runtime/v1/ContainerStats.js";
import type { CpuUsage } from "../../proto/gen/runtime/v1/CpuUsage.js";
import type { MemoryUsage } from "../../proto/gen/runtime/v1/MemoryUsage.js";
import type { PodSandboxStats } from "../../proto/gen/runtime/v1/PodSandboxStats.js";
import { pollingCgroupManager } from "../runtime/cgroups/create-cgroup-manager.js";
import type { RuntimeDeps } from "../runtime/runtime-deps.js";
import { nodeStats, type CpuStats, type MemoryStats, type NodeStats } from "./node-stats.js";
import { readNetworkStats, type InterfaceStats } from "./pod-network-stats.js";

export interface NetworkStats extends Partial<InterfaceStats> {
  time: string;
  interfaces: InterfaceStats[];
}

export interface ContainerSummary {
  name: string;
  startTime: string;
  cpu?: CpuStats;
  memory?: MemoryStats;
}

export interface PodSummary {
  podRef: { name: string; namespace: string; uid: string };
  startTime: string;
  containers: ContainerSummary[];
  cpu?: CpuStats;
  memory?: MemoryStats;
  network?: NetworkStats;
  process_stats?: { process_count?: number };
}

/** The kubelet's stats/v1alpha1 Summary, the parts Berth can measure. */
export interface Summary {
  node: NodeStats;
  pods: PodSummary[];
}

export interface SummaryOptions {
  nodeName: string;
  runtime: RuntimeDeps;
}

/**
 * GET /stats/summary: the node's usage (its root cgroup, memory, the root's filesystem) and each
 * pod's from the runtime's CRI stats — its pod cgroup, its running containers and its network
 * namespace's interfaces (read through one of its containers' processes).
 */
export async function statsSummary(options: SummaryOptions): Promise<Summary> {
  const runtime = withSyncCgroupReads(options.runtime);
  const [node, { stats }] = await Promise.all([
    nodeStats({ nodeName: options.nodeName, runtime }),
    listPodSandboxStats(runtime, { filter: null }),
  ]);
  const pods = await Promise.all((stats ?? []).map((s) => podSummary(runtime, s)));
  return { node, pods: pods.filter((p): p is PodSummary => p !== undefined) };
}

async function podSummary(
  runtime: RuntimeDeps,
  s: PodSandboxStats,
): Promise<PodSummary | undefined> {
  const sandbox = runtime.sandboxes.get(s.attributes?.id ?? "");
  const meta = s.attributes?.metadata;
  if (!sandbox || sandbox.state !== "ready" || !meta) return undefined;
  const running = (s.linux?.containers ?? [])
    .map((c) => ({ stats: c, record: runtime.containers.get(c.attributes?.id ?? "") }))
    .filter(({ record }) => record?.state === "running");
  const pid = running.map(({ record }) => record!.pid).find((p) => p !== undefined);
  const interfaces = pid === undefined ? undefined : await readNetworkStats(pid);
  const summary: PodSummary = {
    podRef: { name: meta.name ?? "", namespace: meta.namespace ?? "", uid: meta.uid ?? "" },
    startTime: rfc3339(sandbox.createdAt),
    containers: running.map(({ stats, record }) => containerSummary(stats, record!.startedAt)),
    cpu: cpuStats(s.linux?.cpu),
    memory: memoryStats(s.linux?.memory),
    process_stats: { process_count: num(s.linux?.process?.process_count?.value) },
  };
  if (interfaces) {
    const time = new Date().toISOString();
    const eth0 = interfaces.find((i) => i.name === "eth0") ?? interfaces[0];
    summary.network = { time, ...eth0, interfaces };
  }
  return summary;
}

function containerSummary(c: ContainerStats, startedAt: string | undefined): ContainerSummary {
  return {
    name: c.attributes?.metadata?.name ?? "",
    startTime: rfc3339(startedAt ?? "0"),
    cpu: cpuStats(c.cpu),
    memory: memoryStats(c.memory),
  };
}

function cpuStats(c: CpuUsage | null | undefined): CpuStats | undefined {
  if (!c) return undefined;
  return {
    time: rfc3339(c.timestamp),
    usageNanoCores: num(c.usage_nano_cores?.value),
    usageCoreNanoSeconds: num(c.usage_core_nano_seconds?.value),
  };
}

function memoryStats(m: MemoryUsage | null | undefined): MemoryStats | undefined {
  if (!m) return undefined;
  return {
    time: rfc3339(m.timestamp),
    availableBytes: num(m.available_bytes?.value),
    usageBytes: num(m.usage_bytes?.value),
    workingSetBytes: num(m.working_set_bytes?.value),
    rssBytes: num(m.rss_bytes?.value),
    pageFaults: num(m.page_faults?.value),
    majorPageFaults: num(m.major_page_faults?.value),
  };
}

function num(v: { toString(): string } | null | undefined): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = Number(v.toString());
  return Number.isFinite(n) ? n : undefined;
}

/** CRI nanoseconds since the epoch as the API's RFC 3339 time (now when absent). */
export function rfc3339(ns: { toString(): string } | null | undefined): string {
  const text = ns?.toString() ?? "";
  if (!/^\d+$/.test(text) || text === "0") return new Date().toISOString().replace(/\.\d+Z$/, "Z");
  return new Date(Number(BigInt(text) / 1_000_000n)).toISOString().replace(/\.\d+Z$/, "Z");
}

const syncReaders = new WeakMap<RuntimeDeps, RuntimeDeps>();

/**
 * The runtime with a cgroup manager that reads synchronously: cgroupfs files are generated in
 * memory and never wait on a disk, and async reads of a hundred pods' files cost several times
 * the reading itself (as /metrics/cadvisor measured).
 */
function withSyncCgroupReads(runtime: RuntimeDeps): RuntimeDeps {
  let fast = syncReaders.get(runtime);
  if (!fast) {
    fast = { ...runtime, cgroups: pollingCgroupManager(runtime.cgroups.layout) };
    syncReaders.set(runtime, fast);
  }
  return fast;
}
