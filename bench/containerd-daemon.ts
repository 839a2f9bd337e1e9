import { spawn } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { run } from "../lib/exec.js";

export interface ContainerdDaemon {
  address: string;
  /** `ctr` against this daemon, in the bench's own namespace. */
  ctr(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A containerd of the bench's own under `dir` (root, state, sockets), with the CRI plugin off:
 * only what `ctr image pull` uses (content, snapshotter, diff, images, leases).
 */
export async function startContainerd(dir: string): Promise<ContainerdDaemon> {
  const address = path.join(dir, "containerd.sock");
  const config = path.join(dir, "config.toml");
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(
    config,
    [
      "version = 2",
      `root = "${path.join(dir, "root")}"`,
      `state = "${path.join(dir, "state")}"`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      "[grpc]",
      `  address = "${address}"`,
      "[ttrpc]",
      `  address = "${address}.ttrpc"`,
      '[plugins."io.containerd.internal.v1.opt"]',
      `  path = "${path.join(dir, "opt")}"`,
      "",
    ].join("\n"),
  );
  const log = await fs.open(path.join(dir, "containerd.log"), "w");
  const child = spawn("containerd", ["--config", config], { stdio: ["ignore", log.fd, log.fd] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ctr = async (args: string[]) =>
    (
      await run("ctr", ["--address", address, "--namespace", "berth-bench", ...args], {
        timeoutMs: 600_000,
      })
    ).stdout;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(force);
    await log.close();
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (
      existsSync(address) &&
      (await ctr(["version"]).then(
        () => true,
        () => false,
      ))
    )
      break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      const text = await fs.readFile(path.join(dir, "containerd.log"), "utf8");
      throw new Error(`containerd did not start: ${text.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { address, ctr, stop };
}
