// The report of bench/pod-startup.ts: per load, the kubelet's startup latency three ways, the
// raw-CRI reference and their ratio, where the kubelet's time goes, CPU used; then memory.
import type { CriPodTimes, Percentiles, RuntimeStamps, WatchedPod } from "./pod-startup-support.js";
import { percentiles } from "./pod-startup-support.js";

export interface Flags {
  paced: number;
  burst: number;
}

export interface CpuUse {
  agentCpuS: number;
  controllerCpuS: number;
}

/** One phase: each pod's moments, and the CPU used until the last one ran (cleanup aside). */
export interface Phase<T> extends CpuUse {
  pods: T[];
}

/** One kubelet pod's moments (wall ms): issued by the bench, then as the watch and runtime saw. */
export interface KubeletPodTimes extends Required<Pick<WatchedPod, "bound" | "running">> {
  issued: number;
  reported?: number;
  /** metadata.creationTimestamp and the container's state.running.startedAt (whole seconds). */
  creationStamp: number;
  startedStamp: number;
  runtime?: RuntimeStamps;
}

export interface Memory {
  agentKiB: number;
  controllerKiB: number;
  /** conmon monitors one container each, outside the agent's process. */
  conmonCount: number;
  conmonKiB: number;
}

export interface Results {
  flags: Flags;
  cpus: number;
  /** The host's 1-minute load average before and after: other work skews the numbers. */
  load: [number, number];
  paced: Phase<KubeletPodTimes>;
  criSequential: Phase<CriPodTimes>;
  burst: Phase<KubeletPodTimes>;
  criConcurrent: Phase<CriPodTimes>;
  memory: {
    idle: Memory;
    running: Memory;
    after: Memory;
    peakAgentKiB: number;
    peakControllerKiB: number;
  };
}

// Kubernetes' pod startup SLO (sig-scalability): context only, not a pass mark here.
const kubernetesSlo =
  "Kubernetes' SLO: p99 pod startup ≤ 5 s (creation → Running seen via watch, image present)";
const cell = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "–").padStart(7);
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;

/** From the first start to the last end, in ms. */
function span(starts: number[], ends: number[]): string {
  return `${(Math.max(...ends) - Math.min(...starts)).toFixed(0)} ms`;
}

function row(label: string, samples: number[]): string {
  const p = percentiles(samples);
  return `  ${label.padEnd(66)} ${String(p.n).padStart(4)}${cell(p.p50)}${cell(p.p90)}${cell(p.p99)}${cell(p.max)}`;
}

function section(
  title: string,
  kubeletPhase: Phase<KubeletPodTimes>,
  criPhase: Phase<CriPodTimes>,
  criHow: string,
) {
  const kubelet = kubeletPhase.pods;
  const cri = criPhase.pods;
  const of = (f: (t: KubeletPodTimes) => number | undefined) =>
    kubelet.map(f).filter((n): n is number => n !== undefined && Number.isFinite(n));
  const rt = (f: (s: RuntimeStamps, t: KubeletPodTimes) => number) =>
    of((t) => (t.runtime ? f(t.runtime, t) : undefined));
  const criOf = (f: (t: CriPodTimes) => number) => cri.map(f);
  const total = of((t) => t.running - t.issued);
  const criTotal = criOf((t) => t.containerStarted - t.start);
  const lines = [
    `${title}${"".padEnd(Math.max(0, 70 - title.length))}   n    p50    p90    p99    max (ms)`,
    row("kubelet: create issued → Running seen in the watch", total),
    row(
      "kubelet: creationTimestamp → Running seen in the watch ¹",
      of((t) => t.running - t.creationStamp),
    ),
    row(
      "kubelet: creationTimestamp → container startedAt ²",
      of((t) => t.startedStamp - t.creationStamp),
    ),
    row(`raw CRI (${criHow}): RunPodSandbox → StartContainer answered`, criTotal),
  ];
  const k = percentiles(total);
  const c = percentiles(criTotal);
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  lines.push(
    `  kubelet / raw CRI: p50 ${ratio(k.p50, c.p50)}×, p90 ${ratio(k.p90, c.p90)}×, p99 ${ratio(k.p99, c.p99)}×`,
    "  where the kubelet's time goes, from the runtime's own stamps:",
    row(
      "  create issued → bound seen (API, scheduler)",
      of((t) => t.bound - t.issued),
    ),
    row(
      "  create issued → kubelet's first status seen",
      of((t) => t.reported && t.reported - t.issued),
    ),
    row(
      "  bound seen → RunPodSandbox begins (agent watch, worker, volumes)",
      rt((s, t) => s.sandboxCreated - t.bound),
    ),
    row(
      "  RunPodSandbox begins → CreateContainer begins",
      rt((s) => s.containerCreated - s.sandboxCreated),
    ),
    row(
      "  CreateContainer begins → runc start begins",
      rt((s) => s.containerStarted - s.containerCreated),
    ),
    row(
      "  runc start begins → Running seen (status write, watch)",
      rt((s, t) => t.running - s.containerStarted),
    ),
    "  raw CRI per call:",
    row(
      "  RunPodSandbox",
      criOf((t) => t.sandboxRun - t.start),
    ),
    row(
      "  CreateContainer",
      criOf((t) => t.containerCreated - t.sandboxRun),
    ),
    row(
      "  StartContainer",
      criOf((t) => t.containerStarted - t.containerCreated),
    ),
    `  first create issued → last pod Running: kubelet ${span(
      kubelet.map((t) => t.issued),
      kubelet.map((t) => t.running),
    )}, ` +
      `raw CRI ${span(
        criOf((t) => t.start),
        criOf((t) => t.containerStarted),
      )}`,
    `  CPU used meanwhile: agent ${kubeletPhase.agentCpuS.toFixed(1)} s (raw CRI ${criPhase.agentCpuS.toFixed(1)} s), ` +
      `controller ${kubeletPhase.controllerCpuS.toFixed(1)} s (raw CRI ${criPhase.controllerCpuS.toFixed(1)} s)`,
  );
  console.log(lines.join("\n"));
  return { kubelet: k, cri: c };
}

export function report(r: Results): void {
  console.log(
    `pod startup on one berth node (${r.cpus} CPUs), busybox image present, one container per pod; ` +
      `host load average ${r.load[0].toFixed(2)} before, ${r.load[1].toFixed(2)} after`,
  );
  const paced = section(
    `${r.flags.paced} pods created one per second`,
    r.paced,
    r.criSequential,
    "sequential",
  );
  const burst = section(
    `${r.flags.burst} pods created at once`,
    r.burst,
    r.criConcurrent,
    "all at once",
  );
  console.log(
    "  ¹ the SLO's own measure; creationTimestamp has whole seconds (truncated), so it reads 0–1 s high\n" +
      "  ² both stamps in whole seconds",
  );
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `${kubernetesSlo}; here p99 ${seconds(paced.kubelet.p99)} paced, ${seconds(burst.kubelet.p99)} burst (create issued → seen)`,
  );
  const m = r.memory;
  console.log(
    `agent RSS: ${mib(m.idle.agentKiB)} with 0 pods, ${mib(m.running.agentKiB)} with ${r.flags.burst} running ` +
      `(peak ${mib(m.peakAgentKiB)} during the burst), ${mib(m.after.agentKiB)} after all were deleted`,
  );
  console.log(
    `controller RSS: ${mib(m.idle.controllerKiB)} with 0 pods, ${mib(m.running.controllerKiB)} with ${r.flags.burst} ` +
      `(peak ${mib(m.peakControllerKiB)}), ${mib(m.after.controllerKiB)} after`,
  );
  console.log(
    `conmon (outside the agent): ${m.running.conmonCount} processes, ${mib(m.running.conmonKiB)} in all with ${r.flags.burst} pods`,
  );
  const round = (p: Percentiles) =>
    Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Math.round(v)]));
  console.log(
    JSON.stringify({
      bench: "pod-startup",
      unit: "ms",
      paced: { pods: r.flags.paced, kubelet: round(paced.kubelet), cri: round(paced.cri) },
      burst: { pods: r.flags.burst, kubelet: round(burst.kubelet), cri: round(burst.cri) },
      rssMiB: {
        agent: {
          idle: m.idle.agentKiB >> 10,
          running: m.running.agentKiB >> 10,
          after: m.after.agentKiB >> 10,
        },
        controller: { idle: m.idle.controllerKiB >> 10, running: m.running.controllerKiB >> 10 },
      },
    }),
  );
}
