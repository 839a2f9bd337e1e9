import * as grpc from "@grpc/grpc-js";
import { promises as fs } from "node:fs";
import path from "node:path";
import type { NodePaths } from "../lib/config.js";
import { internal } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { createMetricsRegistry, type Registry } from "../lib/metrics.js";
import type { ImagePuller } from "./cri/image/pull-image.js";
import { PullMetrics } from "./registry/metrics.js";
import { pullImage } from "./registry/pull/pull-image.js";
import { registryConfig } from "./registry/registry-config.js";
import { createRegistryTransport } from "./registry/transport/create-transport.js";
import { createCriServer } from "./cri/server.js";
import { GrpcServerMetrics } from "./cri/metrics/grpc-server-metrics.js";
import { createCriStreamingServer } from "./cri/streaming/cri-streaming-server.js";
import { ImageStore } from "./images/image-store.js";
import { openRuntime } from "./runtime/open-runtime.js";
import { CniPodNetwork } from "./network/cni-pod-network.js";
import { NetworkPluginMetrics } from "./network/network-plugin-metrics.js";
import { defaultNetwork, ensureDefaultConflist } from "./network/default-conflist.js";
import { defaultPluginDirs } from "./network/plugin-dirs.js";
import { CniRunner } from "../cni/runner/cni-runner.js";
import { prepareSocketPath } from "./unix-socket.js";
import type { RunningKubelet } from "./kubelet/kubelet.js";
import { startKubeletRole, type KubeletAgentOptions } from "./kubelet/kubelet-role.js";

export type { KubeletAgentOptions } from "./kubelet/kubelet-role.js";

export interface AgentOptions {
  paths: NodePaths;
  logger: Logger;
  /** The OCI runtime binary (default /usr/sbin/runc). */
  runtimePath?: string;
  /** conmon, the per-container monitor (default /usr/bin/conmon). */
  conmonPath?: string;
  /** Cgroup that pods naming no cgroup_parent go under (default /berth). */
  cgroupParent?: string;
  /** CNI network configs (default /etc/cni/net.d; Berth's default is written there if none). */
  cniConfDir?: string;
  /** CNI plugin search path (default: Berth's plugins, /usr/lib/cni, /opt/cni/bin). */
  cniBinDirs?: string[];
  /** Registry config: certs.d/<host>/hosts.toml mirrors and CAs, auth.json (default /etc/berth). */
  configDir?: string;
  /** A pull that receives nothing for this long fails (default 60 s). */
  pullStallTimeoutMs?: number;
  /** Where the CRI streaming server (Exec/Attach/PortForward URLs) listens (default 127.0.0.1). */
  streamingAddress?: string;
  /** Its port (default 0: a free one). */
  streamingPort?: number;
  /**
   * The kubelet role: join the cluster of this kubeconfig and run the pods bound to the node.
   * Without it the agent only serves CRI.
   */
  kubelet?: KubeletAgentOptions;
}

export interface RunningAgent {
  socket: string;
  images: ImageStore;
  /** The agent's metrics (image pulls…), served on the kubelet's HTTPS API. */
  metrics: Registry;
  /** The kubelet role, when it was asked for. */
  kubelet?: RunningKubelet;
  /** Stops the kubelet (containers keep running) and the CRI server. */
  stop(): Promise<void>;
}

/** Opens the node's state and serves CRI v1 on the unix socket (mode 0600). */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { paths, logger } = options;
  await fs.mkdir(paths.runDir, { recursive: true, mode: 0o755 });
  const images = await ImageStore.open(paths.root);
  const runtimePath = options.runtimePath ?? "/usr/sbin/runc";
  const metrics = createMetricsRegistry();
  const network = await openPodNetwork(options, metrics);
  const runtime = await openRuntime({
    root: paths.root,
    runDir: paths.runDir,
    images,
    logger,
    runtimePath,
    conmonPath: options.conmonPath ?? "/usr/bin/conmon",
    cgroupParent: options.cgroupParent ?? "/berth",
    network,
  });
  const puller = imagePuller(options, images);
  const pull = { pull: puller.pull, metrics: new PullMetrics(metrics), logger };
  const streaming = createCriStreamingServer({ runtime, logger });
  const streamingAt = await streaming.listen(
    options.streamingPort ?? 0,
    options.streamingAddress ?? "127.0.0.1",
  );
  const server = createCriServer({
    images,
    runtime,
    logger,
    pull,
    streaming,
    rpcMetrics: new GrpcServerMetrics(metrics),
    status: {
      network: () => network.condition(),
      runtimePath,
      root: paths.root,
      runDir: paths.runDir,
    },
  });
  try {
    await prepareSocketPath(paths.criSocket);
    await bind(server, paths.criSocket);
  } catch (err) {
    await streaming.close();
    throw err;
  }
  logger.info("serving CRI", {
    socket: paths.criSocket,
    root: paths.root,
    runDir: paths.runDir,
    streaming: `${streamingAt.address}:${streamingAt.port}`,
  });

  let kubelet: RunningKubelet | undefined;
  const stopCri = async () => {
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => server.forceShutdown(), 5_000);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    puller.close();
    await streaming.close();
    await fs.rm(paths.criSocket, { force: true });
    logger.info("stopped serving CRI", { socket: paths.criSocket });
  };
  if (options.kubelet) {
    try {
      kubelet = await startKubeletRole(options.kubelet, {
        runtime,
        images,
        pull,
        network,
        runtimePath,
        metrics,
        logger,
      });
    } catch (err) {
      await stopCri();
      throw err;
    }
  }

  let stopped = false;
  return {
    socket: paths.criSocket,
    images,
    metrics,
    kubelet,
    async stop() {
      if (stopped) return;
      stopped = true;
      await kubelet?.stop();
      await stopCri();
    },
  };
}

/** One transport for the agent's life: its token cache and mirror state serve every pull. */
function imagePuller(options: AgentOptions, images: ImageStore) {
  const transport = createRegistryTransport({
    ...registryConfig(options.configDir ?? "/etc/berth"),
    logger: options.logger,
  });
  const pull: ImagePuller = (reference, { auth, onProgress }) =>
    pullImage(images, transport, reference, {
      auth,
      onProgress,
      stallTimeoutMs: options.pullStallTimeoutMs,
    });
  return { pull, close: () => transport.close() };
}

async function openPodNetwork(options: AgentOptions, metrics: Registry): Promise<CniPodNetwork> {
  const { paths, logger } = options;
  const confDir = options.cniConfDir ?? "/etc/cni/net.d";
  const written = await ensureDefaultConflist(confDir, defaultNetwork(paths.root));
  if (written) logger.info("wrote the default CNI network config", { file: written });
  const runner = new CniRunner({
    confDir,
    binDirs: options.cniBinDirs ?? defaultPluginDirs,
    cacheDir: path.join(paths.root, "cni", "results"),
  });
  return new CniPodNetwork(runner, logger, new NetworkPluginMetrics(metrics));
}

/** Binds with umask 0177 so the socket is created 0600: no moment where others could connect. */
async function bind(server: grpc.Server, socket: string): Promise<void> {
  const previous = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), (err) =>
        err
          ? reject(internal(`cannot listen on ${socket}: ${err.message}`, { cause: err }))
          : resolve(),
      );
    });
  } finally {
    process.umask(previous);
  }
  await fs.chmod(socket, 0o600);
}
