import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "./free-port.js";
import { tempDir } from "./temp-dir.js";

export interface ActiveTarget {
  discoveredLabels: Record<string, string>;
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  lastError: string;
  health: "up" | "down" | "unknown";
}

export interface Targets {
  activeTargets: ActiveTarget[];
  droppedTargets: Array<{ discoveredLabels: Record<string, string> }>;
}

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

/** How to run one Prometheus-compatible scraper. */
export interface ScraperCommand {
  name: string;
  binary: string;
  args(files: { config: string; data: string; port: number }): string[];
  /** The path that answers 200 once it is ready. */
  readyPath: string;
}

/**
 * A Prometheus-compatible scraper on 127.0.0.1:<free port> with `config` (a prometheus.yml
 * document; JSON is YAML), its data, config and log in a berth-test- temp dir. stop() ends it by
 * PID and removes the dir.
 */
export async function startScraper(
  command: ScraperCommand,
  config: object,
): Promise<ScraperServer> {
  const dir = tempDir(command.name);
  try {
    const port = await freePort();
    const configFile = path.join(dir.path, "scrape.yml");
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const logFile = path.join(dir.path, `${command.name}.log`);
    const log = openSync(logFile, "a");
    const files = { config: configFile, data: path.join(dir.path, "data"), port };
    const child = spawn(command.binary, command.args(files), { stdio: ["ignore", log, log] });
    closeSync(log);
    const server = new ScraperServer(command, child, `http://127.0.0.1:${port}`, dir, logFile);
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

/** A running scraper and Prometheus's HTTP API on it: targets and instant queries. */
export class ScraperServer {
  private readonly exited: Promise<void>;

  constructor(
    private readonly command: ScraperCommand,
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
      if (this.child.exitCode !== null) {
        throw new Error(`${this.command.name} exited:\n${this.log()}`);
      }
      const res = await fetch(`${this.url}${this.command.readyPath}`).catch(() => undefined);
      if (res?.ok) return;
      if (Date.now() > deadline) throw new Error(`${this.command.name} not ready:\n${this.log()}`);
      await sleep(200);
    }
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

  /**
   * Active and dropped targets (/api/v1/targets?state=any): activeTargets with discoveredLabels
   * (the __meta_* labels), labels, scrapePool, scrapeUrl, lastError, health.
   */
  targets(): Promise<Targets> {
    return this.api<Targets>("/api/v1/targets?state=any");
  }

  /**
   * Waits until each pool in `pools` has an active target and every active target of those
   * pools was scraped up; on timeout, the error lists each target's health and last error.
   */
  async waitForTargetsUp(pools: string[], timeoutMs = 30_000): Promise<ActiveTarget[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const active = (await this.targets()).activeTargets.filter((t) =>
        pools.includes(t.scrapePool),
      );
      const missing = pools.filter((p) => !active.some((t) => t.scrapePool === p));
      if (missing.length === 0 && active.every((t) => t.health === "up")) return active;
      if (Date.now() > deadline) {
        const states = active.map((t) => `${t.scrapeUrl}: ${t.health} ${t.lastError}`);
        throw new Error(
          `targets not up; pools without targets: [${missing.join(", ")}]\n  ${states.join("\n  ")}`,
        );
      }
      await sleep(500);
    }
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
      throw new Error(`${this.command.name} ${urlPath}: ${res.status} ${text}`);
    }
    if (body.status !== "success")
      throw new Error(`${this.command.name} ${urlPath}: ${body.error}`);
    return body.data as T;
  }
}
