import { promises as fs } from "node:fs";
import os from "node:os";
import { startAgent, type RunningAgent } from "../../agent/agent.js";
import { ensureBuiltinBusybox } from "../../agent/images/builtin/builtin-image.js";
import { ImageStore } from "../../agent/images/image-store.js";
import { startController, type RunningController } from "../../controller/controller.js";
import { adminKubeconfigPath } from "../../controller/pki/ensure-pki.js";
import type { NodePaths } from "../../lib/config.js";
import type { Logger } from "../../lib/logger.js";
import { startLocalEtcd, type LocalEtcd } from "./local-etcd.js";
import { ensureNodeKubeconfig } from "./node-credentials.js";
import { claimPidFile } from "./pid-file.js";
import { upLayout, type UpLayout } from "./up-layout.js";

export interface UpOptions {
  paths: NodePaths;
  nodeName?: string;
  etcdPort: number;
  etcdPeerPort: number;
  apiPort: number;
  kubeletPort: number;
  /** Cgroup the pods go under (default /berth, as the agent's). */
  cgroupParent?: string;
  logger: Logger;
}

export interface RunningUp {
  layout: UpLayout;
  nodeName: string;
  apiUrl: string;
  stop(): Promise<void>;
}

/**
 * A one-machine cluster, offline: etcd (data under the root), the controller and the agent as
 * this node, on 127.0.0.1 only. Whatever started is stopped again if a later part fails.
 */
export async function runUp(options: UpOptions): Promise<RunningUp> {
  const { logger, paths } = options;
  const layout = upLayout(paths.root);
  const nodeName = options.nodeName ?? os.hostname().toLowerCase();
  await fs.mkdir(layout.root, { recursive: true, mode: 0o711 });
  const releasePid = await claimPidFile(layout.pidFile);
  let etcd: LocalEtcd | undefined;
  let controller: RunningController | undefined;
  let agent: RunningAgent | undefined;
  const stop = async () => {
    // The agent first: its last status writes still reach the API; containers keep running.
    await agent?.stop();
    await controller?.stop();
    await etcd?.stop();
    await releasePid();
  };
  try {
    etcd = await startLocalEtcd({
      dir: layout.etcdDir,
      clientPort: options.etcdPort,
      peerPort: options.etcdPeerPort,
      logger: logger.child({ component: "etcd" }),
    });
    controller = await startController({
      etcdServers: [etcd.endpoint],
      listenHost: "127.0.0.1",
      listenPort: options.apiPort,
      dataDir: layout.controllerDir,
      logger: logger.child({ component: "controller" }),
    });
    await fs.copyFile(adminKubeconfigPath(layout.controllerDir), layout.adminKubeconfig);
    await fs.chmod(layout.adminKubeconfig, 0o600);
    await ensureNodeKubeconfig(layout.nodeKubeconfig, controller.pki, controller.url, nodeName);
    const builtin = await ensureBuiltinBusybox(await ImageStore.open(paths.root));
    logger.info("built-in image ready", { image: builtin.repoTags[0], id: builtin.id });
    agent = await startAgent({
      paths,
      logger: logger.child({ component: "agent" }),
      cniConfDir: layout.cniConfDir,
      cgroupParent: options.cgroupParent,
      kubelet: {
        kubeconfig: layout.nodeKubeconfig,
        nodeName,
        nodeIP: "127.0.0.1",
        port: options.kubeletPort,
        podLogsDir: layout.podLogsDir,
      },
    });
    return { layout, nodeName, apiUrl: controller.url, stop };
  } catch (err) {
    await stop().catch((e: Error) =>
      logger.error("cleanup after a failed start", { error: e.message }),
    );
    throw err;
  }
}
