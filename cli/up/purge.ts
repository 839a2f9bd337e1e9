import { promises as fs } from "node:fs";
import path from "node:path";
import { startAgent } from "../../agent/agent.js";
import { criClient } from "../../agent/cri/client.js";
import { createCgroupManager } from "../../agent/runtime/cgroups/create-cgroup-manager.js";
import type { NodePaths } from "../../lib/config.js";
import { run } from "../../lib/exec.js";
import type { Logger } from "../../lib/logger.js";
import { upLayout } from "./up-layout.js";

/**
 * Removes everything `berth up` made on this machine: every pod (containers, network attachment,
 * cgroups, mounts — through the runtime, as a kubelet would), the bridge of the network config it
 * wrote, and the root and run directories. `berth up` must not be running.
 */
export async function purge(
  paths: NodePaths,
  cgroupParent: string,
  logger: Logger,
): Promise<{ pods: number }> {
  const layout = upLayout(paths.root);
  let pods = 0;
  if (await exists(paths.root)) {
    const agent = await startAgent({
      paths,
      logger,
      cniConfDir: layout.cniConfDir,
      cgroupParent,
    });
    const cri = criClient(agent.socket);
    try {
      const { items } = (await cri.runtime("ListPodSandbox", {})) as { items: { id: string }[] };
      for (const { id } of items) {
        await cri.runtime("StopPodSandbox", { pod_sandbox_id: id });
        await cri.runtime("RemovePodSandbox", { pod_sandbox_id: id });
        pods++;
      }
    } finally {
      cri.close();
      await agent.stop();
    }
    const bridge = await bridgeOf(layout.cniConfDir);
    if (
      bridge &&
      (await run("ip", ["link", "show", bridge]).then(
        () => true,
        () => false,
      ))
    ) {
      await run("ip", ["link", "delete", bridge]);
      logger.info("removed the bridge", { bridge });
    }
  }
  const cgroups = await createCgroupManager();
  if ((await cgroups.exists(cgroupParent)) && (await cgroups.children(cgroupParent)).length === 0) {
    await cgroups.remove(cgroupParent);
  }
  await fs.rm(paths.root, { recursive: true, force: true });
  await fs.rm(paths.runDir, { recursive: true, force: true });
  return { pods };
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** The bridge named by Berth's own network config in `confDir` (the one `berth up` wrote). */
async function bridgeOf(confDir: string): Promise<string | undefined> {
  const files = await fs.readdir(confDir).catch(() => [] as string[]);
  for (const file of files.sort()) {
    const text = await fs.readFile(path.join(confDir, file), "utf8").catch(() => "");
    try {
      const conf = JSON.parse(text) as { plugins?: { type?: string; bridge?: string }[] };
      const plugin = conf.plugins?.find((p) => p.type === "berth-bridge" && p.bridge);
      if (plugin) return plugin.bridge;
    } catch {
      // not JSON: not ours
    }
  }
  return undefined;
}
