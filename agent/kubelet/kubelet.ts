import { access, constants } from "node:fs/promises";
import os from "node:os";
import type { Logger } from "../../lib/logger.js";
import type { Registry } from "../../lib/metrics.js";
import type { PullImageDeps } from "../cri/image/pull-image.js";
import type { ImageStore } from "../images/image-store.js";
import { EventRecorder } from "../kube/event-recorder.js";
import type { KubeClient } from "../kube/kube-client.js";
import type { NetworkCondition } from "../network/pod-network.js";
import type { RuntimeDeps } from "../runtime/runtime-deps.js";
import { createStreamingServer } from "../streaming/streaming-server.js";
import { recordStreamingTargets } from "./adapters/streaming-targets.js";
import { createCadvisorCollector } from "./cadvisor/cadvisor-collector.js";
import { kubeletRoutes } from "./kubelet-routes.js";
import { createKubeletMetrics } from "./metrics/kubelet-metrics.js";
import { startContainerLogManager } from "./logs/container-log-manager.js";
import { logRotationPolicy, type LogRotationPolicy } from "./logs/log-rotation-policy.js";
import { runtimeLogPort } from "./logs/runtime-log-port.js";
import type { KubeletTls } from "./kubelet-tls.js";
import { startNodeAgent } from "./node/node-agent.js";
import { gatherNodeFacts } from "./node/node-facts.js";
import type { Taint } from "./node/node-object.js";
import { createNodePodSync } from "./node-pod-sync.js";
import { startPodSyncing, type PodSyncing } from "./pod-syncing.js";
import { statsSummary } from "./stats-summary.js";

export interface KubeletOptions {
  /** The node's client of the Kubernetes API (system:node:<name>). */
  client: KubeClient;
  nodeName: string;
  /** The node's InternalIP, also the pods' hostIP (default: the host's primary IPv4). */
  nodeIP?: string;
  /** The HTTPS API's port (0: any free one; the chosen one is registered on the Node). */
  port: number;
  /** The address it listens on (default 0.0.0.0). */
  address?: string;
  tls: KubeletTls;
  /** Users allowed on the HTTPS API besides the system:masters group. */
  allowedUsers?: string[];
  runtime: RuntimeDeps;
  images: ImageStore;
  pull: PullImageDeps;
  /** The pod network's readiness (the node's NetworkReady condition). */
  network: { condition(): Promise<NetworkCondition> };
  /** The OCI runtime binary (runtime readiness: it must be executable). */
  runtimePath: string;
  /** kubelet's pod logs root (/var/log/pods). */
  podLogsDir: string;
  /** The agent's metrics, served on /metrics. */
  metrics: Registry;
  logger: Logger;
  labels?: Record<string, string>;
  taints?: Taint[];
  clusterDns?: string[];
  clusterDomain?: string;
  /** The node's resolv.conf for pods' DNS (default /etc/resolv.conf; "" for none). */
  resolvConf?: string;
  /** PLEG relist period (default 1 s) and running pods' resync (default 60 s). */
  relistMs?: number;
  resyncMs?: number;
  /** How often orphaned pod dirs and logs are looked for (default 60 s). */
  housekeepingMs?: number;
  /** Container log rotation (kubelet's defaults for what is left out); false: never rotated. */
  containerLogRotation?: Partial<LogRotationPolicy> | false;
}

export interface RunningKubelet {
  nodeName: string;
  /** The HTTPS API's port. */
  port: number;
  /**
   * True once the first pod list was applied (running pods adopted, orphans queued for
   * removal); false when stopped before that.
   */
  synced: Promise<boolean>;
  /** Stops watching and syncing; containers keep running (the next start adopts them). */
  stop(): Promise<void>;
}

/**
 * The agent as kubelet: serves its HTTPS API, registers the Node and keeps its lease and status,
 * watches the pods bound to it and runs them through the agent's runtime in-process, reporting
 * their status and events. After a restart the runtime is relisted before the first pod list is
 * applied, so running containers of pods the API still binds here are adopted (same spec hash:
 * nothing restarts) and whatever no pod wants is stopped and removed.
 */
export async function startKubelet(options: KubeletOptions): Promise<RunningKubelet> {
  const { client, nodeName, logger, runtime } = options;
  const address = options.address ?? "0.0.0.0";
  // Set once the pods are being synced; the HTTPS API may be asked before that.
  const pods: { syncing?: PodSyncing } = {};
  const currentUid = (ns: string, name: string) =>
    pods.syncing?.pods()?.get(ns, name)?.metadata?.uid;
  const streaming = createStreamingServer({
    tls: options.tls,
    authorization: { allowedUsers: options.allowedUsers ?? [] },
    targets: recordStreamingTargets({ runtime, currentUid }),
    runtime,
    logger,
    extraRoutes: kubeletRoutes({
      metrics: options.metrics,
      summary: () => statsSummary({ nodeName, runtime }),
      cadvisor: createCadvisorCollector({ runtime, logger }),
      unhealthy: () => pods.syncing?.failure()?.message,
    }),
  });
  const { port } = await streaming.listen(options.port, address);
  const facts = await gatherNodeFacts({
    nodeName,
    root: runtime.paths.root,
    kubeletPort: port,
    internalIP: options.nodeIP,
    hostname: os.hostname().toLowerCase(),
  }).catch(async (err: unknown) => {
    await streaming.close();
    throw err;
  });
  const hostIPs = facts.addresses.filter((a) => a.type === "InternalIP").map((a) => a.address);
  const events = new EventRecorder({ client, host: nodeName, logger });
  const nodeAgent = startNodeAgent({
    client,
    facts,
    root: runtime.paths.root,
    logger,
    labels: options.labels,
    taints: options.taints,
    events,
    readiness: async () => ({
      runtime: await runtimeReadiness(options.runtimePath),
      network: await options.network.condition(),
    }),
  });
  const { sync, volumes, probes } = await createNodePodSync({
    ...options,
    facts,
    hostIPs,
    events,
    currentUid,
    kubeletMetrics: createKubeletMetrics(options.metrics, runtime),
    resolvConf: options.resolvConf ?? "/etc/resolv.conf",
  }).catch(async (err: unknown) => {
    await nodeAgent.stop();
    await events.stop();
    await streaming.close();
    throw err;
  });
  const syncing = startPodSyncing({
    client,
    nodeName,
    sync,
    volumes,
    podLogsDir: options.podLogsDir,
    housekeepingMs: options.housekeepingMs,
    logger,
  });
  pods.syncing = syncing;
  const containerLogs =
    options.containerLogRotation === false
      ? undefined
      : startContainerLogManager({
          runtime: runtimeLogPort(runtime),
          policy: logRotationPolicy(options.containerLogRotation),
          logger,
        });

  logger.info("kubelet serving", { node: nodeName, port, address });
  let stopped = false;
  return {
    nodeName,
    port,
    synced: syncing.synced,
    async stop() {
      if (stopped) return;
      stopped = true;
      await syncing.stop();
      await containerLogs?.stop();
      await sync.stop();
      probes.stop();
      await nodeAgent.stop();
      await events.stop();
      await streaming.close();
      client.close();
      logger.info("kubelet stopped", { node: nodeName });
    },
  };
}

async function runtimeReadiness(
  runtimePath: string,
): Promise<{ ready: boolean; message?: string }> {
  try {
    await access(runtimePath, constants.X_OK);
    return { ready: true };
  } catch {
    return { ready: false, message: `OCI runtime ${runtimePath} is not executable` };
  }
}
