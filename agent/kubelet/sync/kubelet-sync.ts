import type { Logger } from "../../../lib/logger.js";
import type { PodStartObserver } from "../metrics/pod-start-tracker.js";
import type { KubeletRuntime } from "../runtime/kubelet-runtime.js";
import { Backoff } from "./backoff.js";
import { ImagePuller } from "./image-puller.js";
import { Pleg } from "./pleg.js";
import { PodInspector } from "./pod-inspector.js";
import { PodWorkers } from "./pod-workers.js";
import { StatusManager } from "./status-manager.js";
import type { SyncDeps } from "./sync-deps.js";
import {
  noHooks,
  noPodObserver,
  noProbeResults,
  type HooksPort,
  type PodObserverPort,
  type PodApiPort,
  type ProbeResultsPort,
  type SpecPort,
  type VolumesPort,
} from "./sync-ports.js";

export interface KubeletSyncOptions {
  runtime: KubeletRuntime;
  spec: SpecPort;
  volumes: VolumesPort;
  api: PodApiPort;
  hooks?: HooksPort;
  probes?: ProbeResultsPort;
  /** Told each pod's runtime state after its syncs (the prober's probe workers follow it). */
  observer?: PodObserverPort;
  /** The node's IPs, primary first. */
  hostIPs: () => string[];
  logger: Logger;
  /** PLEG relist period (default 1 s). */
  relistMs?: number;
  /** Periodic resync of each running pod (default 60 s). */
  resyncMs?: number;
  /** Pod status writes in flight at once (default 4). */
  statusConcurrency?: number;
  /** Crash-loop and image-pull back-off: first delay and cap (default 10 s and 5 min). */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  now?: () => number;
  /** Fed the moments pod start latency is measured from (kubelet_pod_start_*). */
  podStarts?: PodStartObserver;
}

export interface KubeletSync {
  workers: PodWorkers;
  pleg: Pleg;
  status: StatusManager;
  deps: SyncDeps;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The kubelet's pod machinery wired together: pod workers fed by the caller's API watch
 * (workers.update / remove / syncKnownPods), a PLEG that wakes them and reports orphans, and a
 * status manager that writes their pods' statuses.
 */
export function createKubeletSync(options: KubeletSyncOptions): KubeletSync {
  const now = options.now ?? Date.now;
  const backoff = () =>
    new Backoff({ initialMs: options.backoffInitialMs, maxMs: options.backoffMaxMs, now });
  const status = new StatusManager({
    api: options.api,
    logger: options.logger,
    concurrency: options.statusConcurrency,
    podStarts: options.podStarts,
  });
  const deps: SyncDeps = {
    runtime: options.runtime,
    inspector: new PodInspector(options.runtime, options.spec),
    images: new ImagePuller({ ...options, backoff: backoff(), now }),
    spec: options.spec,
    volumes: options.volumes,
    api: options.api,
    hooks: options.hooks ?? noHooks,
    probes: options.probes ?? noProbeResults,
    observer: options.observer ?? noPodObserver,
    status,
    crashBackoff: backoff(),
    hostIPs: options.hostIPs,
    logger: options.logger,
    now,
  };
  const workers = new PodWorkers(deps, {
    resyncMs: options.resyncMs,
    podStarts: options.podStarts,
  });
  const pleg = new Pleg({
    runtime: options.runtime,
    spec: options.spec,
    logger: options.logger,
    periodMs: options.relistMs,
    onEvent: (e) => workers.wake(e.podUid),
    onRelist: (pods) => {
      workers.cleanUpOrphans(pods);
      deps.crashBackoff.gc();
    },
  });
  return {
    workers,
    pleg,
    status,
    deps,
    start: () => pleg.start(),
    async stop() {
      await pleg.stop();
      await workers.stop();
      status.stop();
    },
  };
}
