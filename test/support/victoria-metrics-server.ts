import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "./free-port.js";
import type { Sample, Targets } from "./prometheus-server.js";
import { tempDir } from "./temp-dir.js";

/**
 * Debian's single-node victoria-metrics on 127.0.0.1:<free port> scraping with `config` (a
 * prometheus.yml document; JSON is YAML), its data, config and log in a berth-test- temp dir.
 * Unlike Debian's Prometheus, its promscrape has kubernetes_sd_configs. stop() ends it by PID and
 * removes the dir.
 */
export async function startVictoriaMetrics(config: object): Promise<VictoriaMetricsServer> {
  const dir = tempDir("victoria-metrics");
  try {
    const port = await freePort();
    const configFile = path.join(dir.path, "scrape.yml");
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const logFile = path.join(dir.path, "victoria-metrics.log");
    const log = openSync(logFile, "a");
    const child = spawn(
      "victoria-metrics",
      [
        `-httpListenAddr=127.0.0.1:${port}`,
        `-storageDataPath=${path.join(dir.path, "data")}`,
        `-promscrape.config=${configFile}`,
        // Unknown fields in the config are errors, not silently ignored.
        "-promscrape.config.strictParse",
        // Discovered targets reach the scrapers each second, not each 30 s.
        "-promscrape.kubernetesSDCheckInterval=1s",
        // Samples are queryable a second after they are scraped, not 30 s.
        "-search.latencyOffset=1s",
        "-search.disableCache",
        "-memory.allowedBytes=256MiB",
      ],
      { stdio: ["ignore", log, log] },
    );
    closeSync(log);
    const server = new VictoriaMetricsServer(child, `http://127.0.0.1:${port}`, dir, logFile);
    await server.waitReady().catch(async (err: Error) => {
      await server.stop();
      throw err;
    });
    return server;
  } catch (err) {
    dir.remove();
    throw err;
  }
}

export class VictoriaMetricsServer {
  private readonly exited: Promise<void>;

  constructor(
    readonly child: ChildProcess,
    readonly url: string,
    private readonly dir: { path: string; remove: () => void },
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
  }

  /** Its own log (stdout and stderr), for failure messages. */
  log(): string {
    return readFileSync(this.logFile, "utf8");
  }

  async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`victoria-metrics exited:\n${this.log()}`);
      const res = await fetch(`${this.url}/health`).catch(() => undefined);
      if (res?.ok) return;
      if (Date.now() > deadline) throw new Error(`victoria-metrics not ready:\n${this.log()}`);
      await sleep(200);
    }
  }

  /**
   * Active and dropped targets (/api/v1/targets, Prometheus's shape: activeTargets with
   * discoveredLabels — the __meta_* labels — labels, scrapePool, scrapeUrl, lastError, health).
   */
  targets(): Promise<Targets> {
    return this.api<Targets>("/api/v1/targets?state=any");
  }

  /** An instant PromQL query (/api/v1/query), the vector's samples. */
  async query(promql: string): Promise<Sample[]> {
    const data = await this.api<{ resultType: string; result: unknown }>(
      `/api/v1/query?query=${encodeURIComponent(promql)}`,
    );
    if (data.resultType !== "vector") {
      throw new Error(`query ${promql}: a ${data.resultType}, not a vector`);
    }
    return (data.result as Array<{ metric: Record<string, string>; value: [number, string] }>).map(
      (s) => ({ metric: s.metric, value: Number(s.value[1]) }),
    );
  }

  /** SIGTERM by PID (SIGKILL after 10 s), then the temp dir is removed. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
      await this.exited;
      clearTimeout(timer);
    }
    this.dir.remove();
  }

  private async api<T>(urlPath: string): Promise<T> {
    const res = await fetch(`${this.url}${urlPath}`);
    const text = await res.text();
    let body: { status?: string; data?: T; error?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Error(`victoria-metrics ${urlPath}: ${res.status} ${text}`);
    }
    if (body.status !== "success") throw new Error(`victoria-metrics ${urlPath}: ${body.error}`);
    return body.data as T;
  }
}
