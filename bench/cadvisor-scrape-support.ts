// Measuring tools for bench/cadvisor-scrape.ts: a keep-alive HTTPS client for the kubelet API
// (as Prometheus scrapes: one connection, reused) and the phase that times N scrapes of a page
// with the agent's CPU time around them.
import { readFileSync } from "node:fs";
import https from "node:https";
import path from "node:path";
import zlib from "node:zlib";
import { pkiLayout } from "../controller/pki/pki-layout.js";
import type { KubeletCluster } from "../test/support/kubelet-cluster.js";
import { cpuSeconds, wallMs } from "./pod-startup-support.js";

export interface Fetched {
  status: number;
  body: string;
  /** Bytes on the wire (compressed, when the answer was). */
  wireBytes: number;
  ms: number;
}

/** GETs on the kubelet's HTTPS API as the cluster admin, over one kept-alive connection. */
export class KubeletScraper {
  private readonly agent: https.Agent;

  constructor(private readonly cluster: KubeletCluster) {
    const layout = pkiLayout(path.join(cluster.base.path, "controller"));
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: 1,
      ca: readFileSync(path.join(cluster.base.path, "root", "pki", "kubelet.crt")),
      cert: readFileSync(layout.adminCert),
      key: readFileSync(layout.adminKey),
    });
  }

  /** With `gzip`, asks for a compressed answer as Prometheus does, and inflates it. */
  get(urlPath: string, gzip = false): Promise<Fetched> {
    const started = wallMs();
    return new Promise((resolve, reject) => {
      const req = https.get(
        `https://127.0.0.1:${this.cluster.kubeletPort}${urlPath}`,
        {
          agent: this.agent,
          timeout: 60_000,
          headers: gzip ? { "Accept-Encoding": "gzip" } : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (b: Buffer) => chunks.push(b));
          res.on("end", () => {
            const wire = Buffer.concat(chunks);
            const zipped = res.headers["content-encoding"] === "gzip";
            resolve({
              status: res.statusCode ?? 0,
              body: (zipped ? zlib.gunzipSync(wire) : wire).toString(),
              wireBytes: wire.length,
              ms: wallMs() - started,
            });
          });
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`GET ${urlPath} timed out`)));
      req.on("error", reject);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** N scrapes of one page, one after another. */
export interface ScrapePhase {
  page: string;
  /** Each scrape's wall time, client side (request sent → last byte), ms. */
  ms: number[];
  bytes: number;
  /** The last answer's bytes on the wire. */
  wireBytes: number;
  /** Lines that are samples (not # HELP/TYPE), or the pods of a JSON summary. */
  series: number;
  /** Agent CPU (utime + stime, all threads) over the phase, and the phase's wall time. */
  agentCpuS: number;
  wallS: number;
}

/** How many samples an exposition holds, or pods a Summary does. */
export function countSeries(page: string, body: string): number {
  if (page.startsWith("/stats/summary")) {
    return ((JSON.parse(body) as { pods?: unknown[] }).pods ?? []).length;
  }
  return body.split("\n").filter((l) => l !== "" && !l.startsWith("#")).length;
}

/** Scrapes `page` `count` times in a row; any non-200 answer fails the run. */
export async function scrapePhase(
  scraper: KubeletScraper,
  agentPid: number | undefined,
  page: string,
  count: number,
  gzip = false,
): Promise<ScrapePhase> {
  const ms: number[] = [];
  let last: Fetched | undefined;
  const cpuBefore = cpuSeconds(agentPid);
  const started = wallMs();
  for (let i = 0; i < count; i++) {
    last = await scraper.get(page, gzip);
    if (last.status !== 200) throw new Error(`GET ${page}: ${last.status} ${last.body}`);
    ms.push(last.ms);
  }
  return {
    page,
    ms,
    bytes: Buffer.byteLength(last?.body ?? ""),
    wireBytes: last?.wireBytes ?? 0,
    series: last ? countSeries(page, last.body) : 0,
    agentCpuS: cpuSeconds(agentPid) - cpuBefore,
    wallS: (wallMs() - started) / 1000,
  };
}
