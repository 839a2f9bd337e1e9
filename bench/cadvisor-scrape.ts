// /metrics/cadvisor cost with many containers: --pods pods of one busybox container each run on a
// real `berth controller` + `berth agent --kubeconfig` node (isolated root, cgroup parent, CNI
// test network, image present), then the page is scraped --scrapes times in a row over one
// kept-alive TLS connection, as Prometheus does: scrape time (p50/p99), response size, and the
// agent's CPU per scrape (/proc/<agent>/stat utime+stime, also net of its idle CPU measured first).
// Reference, in the same run on the same node and pods: /stats/summary, the kubelet's other
// per-pod stats page — the same cgroups, networks and writable layers read through the runtime's
// CRI stats path and sent as JSON (the kubelet serves both from cAdvisor; here both read live).
//   node dist/bench/cadvisor-scrape.js [--pods 100] [--scrapes 50] [--idle-seconds 10]
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { pkiLayout } from "../controller/pki/pki-layout.js";
import { removeCgroupEverywhere } from "../test/support/cgroup-leaks.js";
import { find, parseExposition } from "../test/support/exposition-parser.js";
import { promtoolCheckMetrics } from "../test/support/promtool.js";
import { KubeletCluster } from "../test/support/kubelet-cluster.js";
import { SimApiClient } from "../test/support/sim-api-client.js";
import { deletePods, nodeReady, runPods } from "./cadvisor-scrape-pods.js";
import { KubeletScraper, scrapePhase } from "./cadvisor-scrape-support.js";
import { report, type ScrapeResults } from "./cadvisor-scrape-report.js";
import { cpuSeconds, leaksOf } from "./pod-startup-support.js";
import { runBench } from "./run-bench.js";

const namespace = "bench-cadvisor";

interface Flags {
  pods: number;
  scrapes: number;
  idleSeconds: number;
}

function readFlags(argv: string[]): Flags {
  const { values } = parseArgs({
    args: argv,
    options: {
      pods: { type: "string", default: "100" },
      scrapes: { type: "string", default: "50" },
      "idle-seconds": { type: "string", default: "10" },
    },
  });
  const whole = (flag: "pods" | "scrapes" | "idle-seconds", max: number) => {
    const text = values[flag]!;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < 1 || n > max) {
      throw new Error(`--${flag} must be a whole number from 1 to ${max}, not ${text}`);
    }
    return n;
  };
  // 110: kubelet's default pod capacity, which the test network's /24 also fits.
  return {
    pods: whole("pods", 110),
    scrapes: whole("scrapes", 10_000),
    idleSeconds: whole("idle-seconds", 600),
  };
}

async function main(flags: Flags): Promise<ScrapeResults> {
  const cluster = new KubeletCluster();
  const loadBefore = os.loadavg()[0];
  let api: SimApiClient | undefined;
  let scraper: KubeletScraper | undefined;
  try {
    await cluster.setUp();
    const layout = pkiLayout(path.join(cluster.base.path, "controller"));
    api = new SimApiClient(cluster.controller.url, {
      ca: readFileSync(layout.caCert),
      cert: readFileSync(layout.adminCert),
      key: readFileSync(layout.adminKey),
    });
    await nodeReady(cluster);
    await runPods(api, namespace, flags.pods);
    // Statuses written and the agent quiet again before anything is measured.
    await sleep(3_000);
    scraper = new KubeletScraper(cluster);
    const agentPid = cluster.agent?.child.pid;
    const cold = await scraper.get("/metrics/cadvisor");
    if (cold.status !== 200) throw new Error(`/metrics/cadvisor: ${cold.status} ${cold.body}`);
    const seen = new Set(
      find(parseExposition(cold.body), "container_memory_working_set_bytes", { namespace })
        .filter((s) => s.labels.container !== "")
        .map((s) => s.labels.name),
    );
    await scraper.get("/stats/summary");
    const idleBefore = cpuSeconds(agentPid);
    await sleep(flags.idleSeconds * 1000);
    const idleCpuPerS = (cpuSeconds(agentPid) - idleBefore) / flags.idleSeconds;
    const cadvisor = await scrapePhase(scraper, agentPid, "/metrics/cadvisor", flags.scrapes);
    const cadvisorGzip = await scrapePhase(
      scraper,
      agentPid,
      "/metrics/cadvisor",
      flags.scrapes,
      true,
    );
    const summary = await scrapePhase(scraper, agentPid, "/stats/summary", flags.scrapes);
    let promtool = "promtool not installed";
    if (existsSync("/usr/bin/promtool")) {
      const last = await scraper.get("/metrics/cadvisor");
      const check = await promtoolCheckMetrics(last.body);
      promtool =
        check.code === 0 && check.output === "" ? "clean" : `exit ${check.code}: ${check.output}`;
    }
    return {
      pods: flags.pods,
      scrapes: flags.scrapes,
      cpus: os.cpus().length,
      load: [loadBefore, os.loadavg()[0]],
      containersSeen: seen.size,
      coldMs: cold.ms,
      idleCpuPerS,
      cadvisor,
      cadvisorGzip,
      summary,
      promtool,
    };
  } finally {
    scraper?.close();
    if (api)
      await deletePods(cluster, api, namespace).catch((e: Error) =>
        console.error(`cleanup: ${e.message}`),
      );
    await api?.close().catch(() => undefined);
    const ids = [cluster.cgroupParent];
    if (cluster.base) ids.push(cluster.base.path);
    if (cluster.network) ids.push(cluster.network.bridge, cluster.network.name);
    await cluster.tearDown().catch((err: Error) => console.error(`cleanup: ${err.message}`));
    removeCgroupEverywhere(cluster.cgroupParent);
    const leaks = leaksOf(ids);
    if (leaks.length > 0) {
      console.error(`left behind:\n  ${leaks.join("\n  ")}`);
      process.exitCode = 1;
    }
  }
}

await runBench("cadvisor-scrape", readFlags, main, report);
