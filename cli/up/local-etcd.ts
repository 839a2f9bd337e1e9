import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, promises as fs } from "node:fs";
import http from "node:http";
import path from "node:path";
import { unavailable } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";

export interface LocalEtcd {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

export interface LocalEtcdOptions {
  /** Data under <dir>/data, its log in <dir>/etcd.log. */
  dir: string;
  clientPort: number;
  peerPort: number;
  etcdPath?: string;
  logger: Logger;
}

/**
 * A one-member etcd for `berth up`, on 127.0.0.1 only, its data kept across runs. Resolves once
 * /health answers; fails with etcd's last log lines when it exits first (e.g. a port in use).
 */
export async function startLocalEtcd(options: LocalEtcdOptions): Promise<LocalEtcd> {
  const { dir, clientPort, peerPort, logger } = options;
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const logFile = path.join(dir, "etcd.log");
  const log = createWriteStream(logFile, { flags: "a" });
  const child = spawn(
    options.etcdPath ?? "etcd",
    [
      "--name=berth",
      `--data-dir=${path.join(dir, "data")}`,
      `--listen-client-urls=${endpoint}`,
      `--advertise-client-urls=${endpoint}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=berth=${peer}`,
      "--initial-cluster-state=new",
      "--logger=zap",
      "--log-outputs=stderr",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  let spawnError: Error | undefined;
  child.once("error", (err) => (spawnError = err));

  const stop = async () => {
    if (running(child)) {
      const escalate = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.kill("SIGTERM");
      await exited;
      clearTimeout(escalate);
    }
    await new Promise<void>((resolve) => log.end(() => resolve()));
  };

  const deadline = Date.now() + 30_000;
  while (!(await etcdHealthy(endpoint))) {
    if (!running(child) || Date.now() > deadline) {
      await stop();
      const tail = (await fs.readFile(logFile, "utf8").catch(() => "")).split("\n").slice(-6);
      throw unavailable(
        `etcd did not become healthy on ${endpoint}` +
          (spawnError ? `: ${spawnError.message}` : "") +
          ` (log ${logFile}):\n${tail.join("\n")}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  logger.info("etcd is serving", { endpoint, dataDir: path.join(dir, "data"), pid: child.pid });
  return { endpoint, pid: child.pid!, stop };
}

function running(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/** True when etcd at `endpoint` (http://host:port) answers /health with health "true". */
export function etcdHealthy(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${endpoint}/health`, { agent: false, timeout: 1000 }, (res) => {
      let body = "";
      res.on("data", (b: Buffer) => (body += b.toString()));
      res.on("end", () => resolve(res.statusCode === 200 && body.includes('"true"')));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
  });
}
