// The report of bench/cadvisor-scrape.ts: scrape time, size and agent CPU per scrape for
// /metrics/cadvisor beside the reference (/stats/summary of the same node, same pods).
import type { ScrapePhase } from "./cadvisor-scrape-support.js";
import { percentiles } from "./pod-startup-support.js";

export interface ScrapeResults {
  pods: number;
  scrapes: number;
  cpus: number;
  load: [number, number];
  /** Containers the cadvisor page had series for (must be `pods`). */
  containersSeen: number;
  coldMs: number;
  /** Agent CPU per second with nothing scraping (PLEG relists, status, leases). */
  idleCpuPerS: number;
  cadvisor: ScrapePhase;
  /** The same page asked for gzipped, as Prometheus asks. */
  cadvisorGzip: ScrapePhase;
  summary: ScrapePhase;
  promtool: string;
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–").padStart(8);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`.padStart(9);

function cpuPerScrape(p: ScrapePhase, idleCpuPerS: number) {
  const raw = p.agentCpuS / p.ms.length;
  const net = Math.max(p.agentCpuS - idleCpuPerS * p.wallS, 0) / p.ms.length;
  return { raw, net };
}

function row(label: string, p: ScrapePhase, idle: number): string {
  const q = percentiles(p.ms);
  const cpu = cpuPerScrape(p, idle);
  return (
    `  ${label.padEnd(24)}${String(q.n).padStart(4)}${ms(q.p50)}${ms(q.p90)}${ms(q.p99)}` +
    `${ms(q.max)}${kib(p.wireBytes)}${String(p.series).padStart(8)}` +
    `${(cpu.raw * 1000).toFixed(1).padStart(10)}${(cpu.net * 1000).toFixed(1).padStart(10)}`
  );
}

export function report(r: ScrapeResults): void {
  const c = percentiles(r.cadvisor.ms);
  const s = percentiles(r.summary.ms);
  const cc = cpuPerScrape(r.cadvisor, r.idleCpuPerS);
  const sc = cpuPerScrape(r.summary, r.idleCpuPerS);
  const lines = [
    `/metrics/cadvisor with ${r.pods} running pods of 1 container (${r.containersSeen} containers ` +
      `in the page), ${r.scrapes} scrapes in a row over one kept-alive TLS connection`,
    `host: ${r.cpus} CPUs, 1-min load ${r.load[0].toFixed(2)} → ${r.load[1].toFixed(2)}`,
    "",
    `  first scrape (walks every writable layer): ${r.coldMs.toFixed(1)} ms`,
    "",
    `  ${"page".padEnd(24)}${"n".padStart(4)}${"p50".padStart(8)}${"p90".padStart(8)}` +
      `${"p99".padStart(8)}${"max".padStart(8)}${"size".padStart(9)}${"series".padStart(8)}` +
      `${"CPU ms".padStart(10)}${"net ms".padStart(10)}`,
    row("/metrics/cadvisor", r.cadvisor, r.idleCpuPerS),
    row("/metrics/cadvisor gzip", r.cadvisorGzip, r.idleCpuPerS),
    row("/stats/summary (ref)", r.summary, r.idleCpuPerS),
    "",
    "  times in ms, client side; CPU ms = agent utime+stime per scrape; net = less the agent's",
    `  idle CPU over the same wall time (${(r.idleCpuPerS * 1000).toFixed(1)} ms/s measured with nothing scraping);`,
    "  series: samples in the exposition, pods in the summary",
    "",
    `  cadvisor / summary: p50 ×${(c.p50 / s.p50).toFixed(2)}, p99 ×${(c.p99 / s.p99).toFixed(2)}, ` +
      `net CPU ×${(cc.net / sc.net).toFixed(2)}, size ×${(r.cadvisor.bytes / r.summary.bytes).toFixed(2)}`,
    `  promtool check metrics on the last cadvisor page: ${r.promtool}`,
  ];
  console.log(lines.join("\n"));
}
