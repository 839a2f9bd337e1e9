import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { etcdHealthy } from "../../cli/up/local-etcd.js";
import { run } from "../../lib/exec.js";
import { tempDir } from "./temp-dir.js";
import { freePort } from "./free-port.js";

export interface TestEtcd {
  /** "http://127.0.0.1:PORT": the client URL. */
  endpoint: string;
  /** The berth-test- temp dir holding etcd's data (kept across restart()). */
  dataDir: string;
  /** The running etcd's PID (undefined while it is down). */
  pid(): number | undefined;
  /** Everything etcd logged so far (all its runs), for failure messages. */
  logs(): string;
  /** Stops etcd (SIGTERM, then SIGKILL) and removes its temp dir. */
  stop(): Promise<void>;
  /** Kills etcd with SIGKILL, keeping its data for restart(). */
  kill(): Promise<void>;
  /** Starts etcd again on the same ports and data (stopping it first if it runs). */
  restart(): Promise<void>;
}

export interface TestEtcdOptions {
  /** etcd's periodic watch progress notification (default "1s"; etcd's own default is 10m). */
  progressNotifyInterval?: string;
}

const maxLogChars = 1 << 20;

/**
 * Starts a one-member etcd on 127.0.0.1 (client and peer on free ports) with its data in a temp
 * dir; resolves once /health answers. Retries with new ports when one was taken meanwhile.
 */
export async function startEtcd(options: TestEtcdOptions = {}): Promise<TestEtcd> {
  const dir = tempDir("etcd");
  try {
    for (let attempt = 0; ; attempt++) {
      const server = new EtcdProcess(dir.path, await freePort(), await freePort(), options);
      try {
        await server.start();
        return server.handle(() => dir.remove());
      } catch (err) {
        await server.kill();
        if (attempt >= 3 || !server.logs().includes("address already in use")) throw err;
      }
    }
  } catch (err) {
    dir.remove();
    throw err;
  }
}

/** Compacts etcd's history up to `revision` (etcdctl compact), as a long-running etcd would. */
export async function compact(endpoint: string, revision: number): Promise<void> {
  await run("etcdctl", ["--endpoints", endpoint, "compact", String(revision)], {
    timeoutMs: 15_000,
    env: { ...process.env, ETCDCTL_API: "3" },
  });
}

class EtcdProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private output = "";
  private readonly name = `berth-test-${randomBytes(4).toString("hex")}`;

  constructor(
    private readonly root: string,
    private readonly clientPort: number,
    private readonly peerPort: number,
    private readonly options: TestEtcdOptions,
  ) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.clientPort}`;
  }

  logs(): string {
    return this.output;
  }

  async start(): Promise<void> {
    const peer = `http://127.0.0.1:${this.peerPort}`;
    const child = spawn(
      "etcd",
      [
        `--name=${this.name}`,
        `--data-dir=${path.join(this.root, "data")}`,
        `--listen-client-urls=${this.endpoint}`,
        `--advertise-client-urls=${this.endpoint}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=${this.name}=${peer}`,
        `--initial-cluster-token=${this.name}`,
        "--initial-cluster-state=new",
        `--experimental-watch-progress-notify-interval=${this.options.progressNotifyInterval ?? "1s"}`,
        "--logger=zap",
        "--log-outputs=stderr",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    const capture = (b: Buffer) => {
      if (this.output.length < maxLogChars) this.output += b.toString();
    };
    child.stdout?.on("data", capture);
    child.stderr?.on("data", capture);
    this.exited = new Promise((resolve) => {
      child.once("exit", () => resolve());
      child.once("error", (err) => {
        capture(Buffer.from(`spawn etcd: ${err.message}\n`));
        resolve();
      });
    });
    await this.waitUntilHealthy(child);
  }

  /** SIGKILL, waiting until the process is gone. */
  async kill(): Promise<void> {
    await this.signal("SIGKILL");
  }

  async stop(): Promise<void> {
    const exited = this.exited;
    if (!this.running()) return;
    const escalate = setTimeout(() => void this.signal("SIGKILL"), 5_000);
    await this.signal("SIGTERM");
    clearTimeout(escalate);
    await exited;
  }

  handle(removeDir: () => void): TestEtcd {
    return {
      endpoint: this.endpoint,
      dataDir: path.join(this.root, "data"),
      pid: () => (this.running() ? this.child?.pid : undefined),
      logs: () => this.logs(),
      stop: async () => {
        await this.stop();
        removeDir();
      },
      kill: () => this.kill(),
      restart: async () => {
        await this.stop();
        await this.start();
      },
    };
  }

  private running(): boolean {
    const child = this.child;
    // No pid: the spawn itself failed.
    return child?.pid !== undefined && child.exitCode === null && child.signalCode === null;
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const pid = this.child?.pid;
    if (this.running() && pid !== undefined) process.kill(pid, signal);
    await this.exited;
  }

  private async waitUntilHealthy(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`etcd exited before it was healthy:\n${this.output.slice(-4000)}`);
      }
      if (await etcdHealthy(this.endpoint)) return;
      if (Date.now() > deadline) {
        throw new Error(`etcd was not healthy within 20 s:\n${this.output.slice(-4000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
