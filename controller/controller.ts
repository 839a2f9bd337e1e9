import https from "node:https";
import type { AddressInfo } from "node:net";
import { internal } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { createMetricsRegistry } from "../lib/metrics.js";
import type { ApiDeps } from "./api/context.js";
import { ApiMetrics } from "./api/metrics/api-metrics.js";
import {
  defaultKubeletPort,
  defaultPreferredAddressTypes,
  type NodeStreamingConfig,
} from "./api/node-proxy/node-streaming-config.js";
import { upgradeListener } from "./api/node-proxy/upgrade-listener.js";
import { metricsApiResourceTypes } from "./api/metrics-api/metrics-api.js";
import { agentSummarySource } from "./api/metrics-api/summary-client.js";
import { WatchCaches } from "./api/cache/watch-caches.js";
import { instrumentStore } from "./api/metrics/instrumented-store.js";
import { ObjectKeys } from "./api/object-keys.js";
import { tolerationSecondsSettings } from "./api/objects/default-toleration-seconds.js";
import { ResourceStore } from "./api/objects/resource-store.js";
import { createRequestHandler } from "./api/request-handler.js";
import { ResourceRegistry } from "./api/resource-registry.js";
import { createAuthenticator } from "./auth/authenticate.js";
import { createAuthorizer } from "./auth/authorize.js";
import { keepSystemNamespaces } from "./bootstrap/system-namespaces.js";
import { ControllerManager } from "./controllers/controller-manager.js";
import { leaderIdentity, startLeaderElection } from "./leader/leader-election.js";
import { ensurePki } from "./pki/ensure-pki.js";
import { loadKubeletClientTls, type KubeletClientFiles } from "./pki/kubelet-client-tls.js";
import { loadPkiFiles, type UserPkiFiles } from "./pki/load-pki-files.js";
import type { Pki } from "./pki/pki.js";
import { serverTlsOptions } from "./pki/tls-options.js";
import { builtinResourceTypes } from "./resources/registry.js";
import { openEtcdStore } from "./storage/etcd-store.js";

export interface ControllerOptions {
  etcdServers: string[];
  listenHost: string;
  /** 0: any free port. */
  listenPort: number;
  /** Certificates (made when none are given) and admin.kubeconfig live here. */
  dataDir: string;
  logger: Logger;
  /** User-supplied serving certificate, key and client CA instead of the generated PKI. */
  tlsFiles?: UserPkiFiles;
  /** Kubernetes' static token file (token,user,uid,"groups"). */
  tokenFile?: string;
  /** Kubernetes' ABAC policy file, for users outside system:masters and nodes. */
  policyFile?: string;
  /** Leader election lease (default 15 s): how long a dead leader's controllers are missed. */
  leaseSeconds?: number;
  /** --node-monitor-grace-period (default 40 s): a node silent this long becomes Unknown. */
  nodeMonitorGracePeriodMs?: number;
  /** --default-not-ready-toleration-seconds (default 300): added to new pods' tolerations. */
  defaultNotReadyTolerationSeconds?: number;
  /** --default-unreachable-toleration-seconds (default 300): added to new pods' tolerations. */
  defaultUnreachableTolerationSeconds?: number;
  /**
   * How pods/log, exec, attach and portforward reach agents: --kubelet-client-certificate and
   * --kubelet-client-key (the generated pair when absent), --kubelet-certificate-authority
   * (agents' serving certificates unverified when absent).
   */
  kubeletClient?: KubeletClientFiles;
  /** --kubelet-preferred-address-types: InternalIP, ExternalIP, Hostname when absent. */
  kubeletPreferredAddressTypes?: string[];
}

export interface RunningController {
  url: string;
  port: number;
  pki: Pki;
  stop(): Promise<void>;
}

/** Serves the Kubernetes API over HTTPS from etcd, with namespace cleanup running beside it. */
export async function startController(options: ControllerOptions): Promise<RunningController> {
  const { logger } = options;
  const metricsRegistry = createMetricsRegistry();
  const metrics = new ApiMetrics(metricsRegistry);
  const store = instrumentStore(
    openEtcdStore({ endpoints: options.etcdServers, logger }),
    metrics,
    builtinResourceTypes,
  );
  const registry = new ResourceRegistry(builtinResourceTypes);
  const keys = new ObjectKeys();
  const caches = new WatchCaches(store, keys, logger);
  caches.start(registry.types);
  metrics.countStoredObjects(registry.types, (rt) => caches.ready(rt)?.size);
  const resources = new ResourceStore(store, keys, caches);
  const pods = registry.find("", "v1", "pods")!;

  const hosts = [...new Set(["127.0.0.1", "localhost", options.listenHost])].filter(
    (h) => h !== "0.0.0.0" && h !== "::",
  );
  let pki: Pki = options.tlsFiles
    ? await loadPkiFiles(options.tlsFiles)
    : await ensurePki({ dataDir: options.dataDir, hosts, logger });
  const server = https.createServer(await serverTlsOptions(pki));
  const streaming = await nodeStreamingConfig(options, pki);
  if (!streaming) {
    logger.warn(
      "no kubelet client certificate: pods/log, exec, attach and portforward answer 503 " +
        "(give --kubelet-client-certificate and --kubelet-client-key)",
    );
  }

  const deps: ApiDeps = {
    resources,
    registry,
    logger,
    metrics,
    now: () => new Date(),
    serverAddress: "",
    streaming,
    defaultTolerationSeconds: tolerationSecondsSettings({
      notReady: options.defaultNotReadyTolerationSeconds,
      unreachable: options.defaultUnreachableTolerationSeconds,
    }),
  };
  const manager = new ControllerManager(deps, logger, {
    nodeLifecycle: { gracePeriodMs: options.nodeMonitorGracePeriodMs },
    metrics: metricsRegistry,
  });
  // The API also serves metrics.k8s.io, computed from agents: kinds the controllers never store.
  const servedRegistry = new ResourceRegistry([
    ...builtinResourceTypes,
    ...metricsApiResourceTypes({ summaries: streaming && agentSummarySource(streaming), logger }),
  ]);
  const handler = createRequestHandler({
    ...deps,
    registry: servedRegistry,
    authenticate: createAuthenticator({ tokenFile: options.tokenFile, logger }),
    authorizer: createAuthorizer({
      policyFile: options.policyFile,
      logger,
      lookups: {
        async podNodeName(namespace, name) {
          const pod = await resources.tryGet(pods, namespace, name);
          return pod ? ((pod.spec as { nodeName?: string })?.nodeName ?? "") : undefined;
        },
      },
    }),
    metricsText: () => metricsRegistry.metrics(),
  });
  server.on("request", handler);
  server.on("upgrade", upgradeListener(handler));
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) =>
      reject(
        internal(`cannot listen on ${options.listenHost}:${options.listenPort}: ${err.message}`),
      ),
    );
    server.listen(options.listenPort, options.listenHost, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.listenHost.includes(":") ? `[${options.listenHost}]` : options.listenHost;
  const url = `https://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;
  deps.serverAddress = `${host}:${port}`;
  if (!options.tlsFiles) {
    pki = await ensurePki({ dataDir: options.dataDir, hosts, logger, serverUrl: url });
  }
  const namespaces = keepSystemNamespaces(deps, logger);
  await Promise.race([namespaces.ready, new Promise((r) => setTimeout(r, 5_000).unref())]);
  // Exactly one controller process runs the scheduler and controllers: the election's leader.
  const election = startLeaderElection({
    endpoints: options.etcdServers,
    logger,
    identity: leaderIdentity(),
    leaseSeconds: options.leaseSeconds,
  });
  election.onChange((leading) => {
    if (leading) {
      manager.start().catch((err) => {
        logger.error("controllers failed to start; resigning", { error: (err as Error).message });
        manager.stop();
        void election.resign();
      });
    } else {
      manager.stop();
    }
  });
  logger.info("serving the Kubernetes API", {
    url,
    etcd: options.etcdServers,
    dataDir: options.dataDir,
  });

  return {
    url,
    port,
    pki,
    async stop() {
      namespaces.stop();
      manager.stop();
      await election.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      caches.stop();
      store.close();
      logger.info("stopped serving the Kubernetes API", { url });
    },
  };
}

async function nodeStreamingConfig(
  options: ControllerOptions,
  pki: Pki,
): Promise<NodeStreamingConfig | undefined> {
  const tls = await loadKubeletClientTls(options.kubeletClient ?? {}, pki);
  return (
    tls && {
      tls,
      preferredAddressTypes: options.kubeletPreferredAddressTypes ?? defaultPreferredAddressTypes,
      defaultPort: defaultKubeletPort,
      dialTimeoutMs: 10_000,
    }
  );
}
